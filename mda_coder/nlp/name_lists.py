"""Bundled word lists for finding names: common Swedish and Danish first names, name and place endings, ordinary words.

Written for mda-coder (no list is downloaded): a few hundred frequent first names, the endings Swedish
and Danish surnames and place names are made with, and the capitalised words that are *not* names of
anyone or anywhere that could identify a participant. The lists only propose: the researcher edits
the key, and ``check-names`` shows what is left.
"""

from __future__ import annotations

FIRST_NAMES = frozenset(
    """
    Adam Agnes Ahmed Albin Alexander Alfred Ali Alice Alva Amanda Amir Anders Andreas Anette Ann Anna
    Anna-Lena Anne Anneli Annika Anton Arne Astrid Axel Barbro Bengt Berit Birgitta Bo Britt Camilla
    Carina Carl Caroline Cecilia Charlotte Christer Christina Dan Daniel David Ebba Edvin Elias Elin
    Elisabeth Ella Ellen Elsa Emil Emilia Emma Erik Eva Fatima Felix Filip Frida Fredrik Gunilla Gunnar
    Gustav Göran Hanna Hannes Hans Hassan Helena Henrik Hugo Ida Ingrid Inger Isak Jan Jenny Jessica
    Johan Johanna Jonas Jonatan Josefin Julia Jörgen Kajsa Karin Karl Kenneth Kerstin Kim Klara Kristina
    Lars Leif Lena Linda Linnea Lisa Louise Lovisa Lucas Ludvig Magnus Maja Malin Marcus Margareta Maria
    Marie Martin Mats Mattias Mikael Mohammed Monica Moa Nadia Niklas Nils Nora Olle Olof Oscar Oskar
    Patrik Per Peter Petra Rasmus Robert Roger Sara Sebastian Simon Sofia Sofie Stefan Sten Stina Sven
    Thomas Tobias Tomas Torbjörn Ulf Ulla Ulrika Viktor Vilma Wilma Yusuf Åsa Åke
    Bente Birgit Birthe Bjarne Dorte Freja Frederik Grethe Hanne Helle Henning Inge Jens Jesper Jette
    Jørgen Karen Kirsten Kasper Lene Lise Lone Mads Mette Michael Mikkel Morten Niels Ole Pia Poul
    Rikke Sanne Signe Søren Susanne Tine Torben Trine Troels Vibeke
    """.split()
)
"""Frequent first names of Sweden and Denmark (and of people living there)."""

PERSON_ENDINGS = (
    "sson", "son", "sen", "ström", "qvist", "kvist", "gren", "dahl", "blad", "man", "lind", "gaard", "skov",
)  # fmt: skip
"""Endings of Swedish and Danish surnames (Andersson, Jensen, Lindström, Bergqvist, Kjærgaard)."""

PLACE_ENDINGS = (
    "köping", "torp", "by", "stad", "vik", "rup", "løse", "havn", "hamn", "bjerg", "borg", "fors", "näs",
    "sund", "dal", "dala", "målla", "ås", "köbing", "sted", "lev", "strup", "bæk", "inge", "ryd", "hult",
)  # fmt: skip
"""Endings of Swedish and Danish place names (Norrköping, Kastrup, Roskilde's neighbours Herløse, Sjöstad)."""

EITHER_ENDINGS = ("berg", "lund", "holm")
"""Endings of surnames and of places alike (Berglund, Lund, Bornholm): a person after a first name, else a place."""

ORDINARY = frozenset(
    """
    Jag Du Han Hon Vi Ni De Dem Den Det Man Mig Dig Oss Er Deras Ja Nej Och Men Så Om När Då Nu Mm Okej
    Jeg Hun Dig Jer Os Deres Og Nå Nej Jo
    I You He She We They It OK Okay
    Gud Herregud Sverige Danmark Norge Finland Europa Norden
    Försäkringskassan Arbetsförmedlingen Skatteverket Migrationsverket Kronofogden Socialstyrelsen
    Socialtjänsten Komvux Samhall Jobcenter Jobcentret Kommunen Regionen Udbetaling Danmark
    AME APT AF FK CSN SFI LSS LVU LVM SoL KBT ADHD CV TV SMS ID EU FN NAV UD OBS
    """.split()
)
"""Capitalised words that are not names to hide: pronouns and answers (where a quote or a label puts them
mid-line), countries, and national agencies and their abbreviations.

A national agency (Försäkringskassan, Arbetsförmedlingen, Jobcenter) is the same for everyone in the
country: naming it identifies no participant, and the text's meaning depends on it. A local workplace, a
town or a village does identify, and is proposed. Add an agency to the key yourself when it should go.
"""

ROLE_WORDS = frozenset(
    """
    moderator intervjuare interviewer intervjuer respondent deltagare deltager participant facilitator
    ordförande observatör observer forskare researcher speaker talare taler okänd ukendt unknown
    """.split()
)
"""Speaker labels that name a role, not a person (``Moderator``, ``Deltagare 3``, ``R1``, ``I``)."""
