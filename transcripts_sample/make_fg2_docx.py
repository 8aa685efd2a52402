"""Write transcripts_sample/FG2_Sjöstad.docx from the paragraphs below.

Fictional sample transcript (fiktivt exempelmaterial): all names, the municipality and the
events are invented. Run from the repository root:

    .venv/bin/python transcripts_sample/make_fg2_docx.py

Speaker labels are full names followed by a colon, sometimes with a tab after the colon, and
are set in bold. One paragraph continues the previous speaker's turn without a label.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.docx_writer import write_docx  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "FG2_Sjöstad.docx"

PARAGRAPHS = [
    "Fokusgrupp 2 – Arbetsmarknadsenheten i Sjöstad, 2024-04-09 (fiktivt exempelmaterial)",
    "Moderator:\tVälkomna, och tack för att ni tar er tid. Vi spelar in samtalet, och allt "
    "avidentifieras innan det används. Jag tänkte att vi börjar med att ni säger vad ni heter och "
    "vad ni jobbar med, så blir det lättare när det ska skrivas ut sen.",
    "Lena Berglund: Ja, Lena heter jag, jag har varit arbetskonsulent här i sex år ungefär. Jag "
    "jobbar mest med kartläggning i början av inskrivningen.",
    "Yusuf Demir: Yusuf, jobbcoach. Jag har mest dem som är, ja, närmare arbetsmarknaden kan man "
    "säga. Matchning och arbetsgivarkontakter.",
    "Petra Sandberg: Petra, enhetschef för arbetsmarknadsenheten sen snart tre år.",
    "Mikael Holm: Mikael, socialsekreterare på ekonomiskt bistånd. Jag sitter inte på enheten "
    "egentligen, men jag är här två dagar i veckan i samverkansteamet.",
    "Sara Ljung: Och jag heter Sara, studie- och yrkesvägledare. Jag delar min tjänst mellan "
    "vuxenutbildningen och AME.",
    "Moderator:\tTack. Ni gick över till ett nytt arbetssätt förra året, med ett tydligare "
    "jobbfokus. Kan ni berätta vad som förändrades?",
    "Petra Sandberg:\tJa, i korthet gick vi från att vara en verksamhet som gjorde väldigt mycket "
    "olika saker, eh, vi hade kurser i allt möjligt, friskvård, matlagning, datakunskap, till att "
    "säga att allt vi gör ska leda mot arbete eller studier. Varje aktivitet ska kunna motiveras "
    "utifrån det. Och vi började kalla dem som är inskrivna för kandidater i stället för deltagare.",
    "Moderator: Varför det?",
    "Petra Sandberg: För att det signalerar något. En kandidat är någon som är på väg någonstans, "
    "som kandiderar till ett jobb. Deltagare, det låter som att man bara är med. [skratt]",
    "Lena Berglund: Jag var ju lite emot det där i början, det vet du.",
    "Petra Sandberg: Ja, det vet jag. [skratt]",
    "Lena Berglund: Alltså, jag förstår tanken. Men för många av dem jag träffar i kartläggningen "
    "är jobbet ganska långt bort. De har inte sovit en hel natt på ett halvår, eller så har de "
    "skulder som gör att det knappt lönar sig att jobba, typ. Och då ska jag sitta och kalla dem "
    "kandidater. Det känns som att man hoppar över ett steg.",
    "Yusuf Demir: Fast jag märker att mina tycker om det. Det finns någon sorts respekt i det. Att "
    "man inte är ett ärende, man är någon som söker jobb som alla andra.",
    "Lena Berglund: Ja, för dina kanske.",
    "Yusuf Demir: Ja, för mina. Det kan vara så.",
    "Moderator:\tHur ser ett möte ut, konkret, med det här jobbfokuset?",
    "Yusuf Demir: För min del börjar det nästan alltid med att vi går igenom vad som har hänt sen "
    "sist. Vilka jobb har du sökt, har du fått svar, har du varit på någon intervju. Och sen "
    "planerar vi nästa vecka. Det är ganska... alltså, det är väldigt konkret. Vi har en lista "
    "som vi bockar av.",
    'Lena Berglund: Och där är det skillnad. För om jag börjar med "vilka jobb har du sökt" med '
    "någon som inte har kunnat betala hyran, då har jag tappat personen efter tio sekunder.",
    "Mikael Holm: Mm.",
    "Lena Berglund: Så jag börjar ofta någon annanstans. Men sen måste jag ändå skriva i "
    "anteckningen att samtalet handlade om vägen till arbete. Annars ser det ut som att jag inte "
    "gör mitt jobb.",
    "Moderator: Måste du det?",
    "Lena Berglund: Ja, alltså... [paus] Det finns en mall. Och i mallen finns ett fält som heter "
    '"Nästa steg mot arbete". Det ska fyllas i, varje gång.',
    "Petra Sandberg: Det är ju inte för att kontrollera er, det är för att vi ska kunna se hela "
    "kedjan. Vi behöver kunna visa nämnden vad vi gör för pengarna.",
    "Mikael Holm:\tFår jag haka på där? För det här berör oss på socialtjänsten rätt mycket. När "
    "vi anvisar någon hit så är det ju i praktiken kopplat till försörjningsstödet. Om personen "
    "inte deltar kan det bli fråga om att biståndet sätts ned. Så jobbfokuset här är inte bara ett "
    "pedagogiskt val, det får konsekvenser för folks ekonomi.",
    "Sara Ljung: Precis.",
    "Mikael Holm: Och jag har ibland svårt med det, ärligt talat. Rätten till bistånd ska ju utgå "
    "från behov. Om någon saknar pengar till mat så har man det behovet oavsett om man har sökt tio "
    "jobb den veckan eller inget alls.",
    "Petra Sandberg: Men lagen säger ju också att man ska stå till arbetsmarknadens förfogande. "
    "Det är inte vi som har hittat på det.",
    "Mikael Holm: Nej, absolut, det är inte det jag säger. Jag säger att det sker en... eh, en "
    "glidning. Att aktiviteten blir ett villkor för stödet i stället för en del av stödet.",
    "Moderator: Kan du ge ett exempel?",
    "Mikael Holm: Ja. Vi hade en man, runt femtiofem, som hade jobbat inom bygg hela livet och "
    "hade en axel som inte höll längre. Han var inskriven här och kom inte till de aktiviteter som "
    "var planerade, för han hade ont. Och så blev det en diskussion om han skulle få reducerat "
    "bistånd för att han inte deltog. Samtidigt var läkarintyget inte klart, för han väntade på en "
    "remiss.",
    "Lena Berglund: Jag minns honom.",
    "Mikael Holm: Och där kände jag att vi, alltså systemet, straffade honom för att vården var långsam.",
    "Petra Sandberg: Men det löste sig ju till slut.",
    "Mikael Holm: Det löste sig. Efter tre månader.",
    "Moderator:\tJag tänkte att vi skulle prata lite om mätningarna. Ni använder ett "
    "indikatorformulär, har jag förstått?",
    "Petra Sandberg:\tJa. Vi har tagit inspiration från BIP, det danska projektet med elva "
    "indikatorer. Vi mäter var tredje månad. Kandidaten fyller i en del och coachen en del, och "
    "sen kan vi följa progressionen över tid. Det ger oss ett sätt att visa stegförflyttningar "
    "även när någon inte har fått jobb än. Och det har varit jätteviktigt för oss gentemot "
    "politiken.",
    "Moderator: På vilket sätt?",
    'Petra Sandberg: Förut var det bara "hur många gick till arbete". Och då såg vi dåliga ut, '
    "eftersom vi har många som står långt ifrån. Nu kan vi visa att folk rör sig. Att hälsan blir "
    "bättre, att de söker mer aktivt, att de har tydligare mål.",
    "Sara Ljung: Men jag undrar om vi mäter det som är viktigt, eller det som går att mäta.",
    "Petra Sandberg: Det är väl lite både och, kanske.",
    "Sara Ljung: Jag tänker på frågan om utbildning till exempel, där kryssar man i om personen "
    'har en "realistisk yrkesplan". Och vem avgör vad som är realistiskt? Om en kvinna som har '
    "varit tandläkare i sitt hemland säger att hon vill bli tandläkare här, är det realistiskt? "
    "Det är jättelångt dit, men det är ju inte orealistiskt.",
    "Yusuf Demir: Mm, det är svårt.",
    "Sara Ljung: Och om coachen kryssar att planen inte är realistisk så ser det ut som att hon "
    "står still, eller går bakåt, om hon fortsätter att vilja det.",
    "Lena Berglund: Ja! Det är det jag också tänker. Det där att skalorna ska gå uppåt. Folk går "
    "inte uppåt hela tiden. Livet går upp och ner. Någon kan må jättebra i mars och sen dör "
    "mamma i april.",
    "Petra Sandberg: Men det vet vi ju, och det tar vi hänsyn till när vi tittar på siffrorna. Vi tittar på gruppnivå.",
    "Lena Berglund: Gör vi det? Jag vet inte om nämnden gör det.",
    "Petra Sandberg: [överlappande tal] Nämnden ser bara–",
    "Lena Berglund: –bara staplarna, ja.",
    "Yusuf Demir: [skratt] Staplarna, ja.",
    "Moderator:\tYusuf, du har inte sagt så mycket om mätningarna. Hur upplever du dem?",
    "Yusuf Demir: Jag tycker faktiskt att de är ganska bra. För mig är det ett sätt att visa "
    "kandidaten att hen rör sig. Många tror att de står helt still. Och då kan jag visa, kolla, i "
    "januari sa du att du inte visste vad du ville, nu har du två yrken du vill testa. Det är ju "
    "progression.",
    "Sara Ljung: Ja, som samtalsstöd är det bra. Det håller jag med om.",
    "Yusuf Demir: Och det ger en gemensam bild också, med Arbetsförmedlingen till exempel. De förstår siffror.",
    "Mikael Holm: [skratt] Det gör de.",
    "Yusuf Demir: Men jag förstår Lenas poäng. Mina är ju de som har kommit längre. Det är "
    "lättare att visa progression när någon redan är på gång.",
    "Moderator:\tDet finns ju en fråga i formuläret om hur mycket ni själva tror att personen "
    "kommer att få jobb. Hur är det att svara på den?",
    "Sara Ljung: [skratt] Den är svår.",
    "Yusuf Demir: Jag svarar ganska snabbt, faktiskt. Jag har en känsla och så kryssar jag.",
    "Lena Berglund: Jag sitter länge med den. För jag vet att personen kan se vad jag har "
    "svarat om de ber om det. Och om jag kryssar lågt, vad säger det till dem? Att inte ens hon "
    "som ska hjälpa mig tror på det.",
    "Petra Sandberg: Men det är ju en ärlig bedömning. Den ska inte vara snäll, den ska vara sann.",
    "Lena Berglund: Jo, men det är ju en bedömning av deras chanser på en arbetsmarknad som jag "
    "inte styr över. Jag kryssar lika mycket om arbetsgivarna som om personen, egentligen.",
    "Mikael Holm: Mm, det är en bra poäng.",
    "Moderator:\tNi pratar om att vissa står närmare och vissa längre ifrån. Hur avgörs det vem som får vilket stöd?",
    "Lena Berglund: Det är där kartläggningen kommer in. Vi pratar om rätt insats i rätt "
    "ordning. Man ska inte skicka någon på praktik om de först behöver ordna sin hälsa eller sitt "
    "boende. Det är som en trappa.",
    "Petra Sandberg: Och där har vi ett ansvar att inte ha folk inskrivna här som egentligen hör "
    "hemma någon annanstans. Det är ingen tjänst mot dem.",
    "Mikael Holm: Fast var är den där andra platsen? Det är det som är frågan. Om man inte har en "
    "diagnos, inte har sjukpenning och inte har ett jobb, då hamnar man hos oss och hos er. Det "
    "finns inget annat ställe.",
    "Lena Berglund: Nej.",
    "Mikael Holm: Så trappan saknar första steget för vissa. De får börja på steg tre.",
    "Och då blir det vi som ska säga att de inte har ansträngt sig tillräckligt, när de ramlar. "
    "Det är det jag menar med att stödet blir villkorat.",
    "Moderator: Hur ser det ut med närvaron, rapporterar ni den till socialtjänsten?",
    "Yusuf Demir: Ja, varje vecka. Det är en lista med kryss, närvarande, frånvarande, giltig frånvaro.",
    "Lena Berglund: Och det är där jag tycker att det blir mest konstigt. För jag ska bygga en "
    "relation med någon och samtidigt vara den som rapporterar om de kom eller inte. De vet ju "
    "det. Det sitter i rummet.",
    "Petra Sandberg: Fast det är ju också en trygghet, att det är tydligt. Alla vet vad som gäller.",
    "Mikael Holm: Och det är inte så att varje frånvaro leder till något. Vi gör en bedömning "
    "varje gång. Men jag förstår att det inte känns så från deltagarens håll.",
    "Moderator:\tHur mycket utrymme har ni själva att göra avsteg? Att säga att just den här "
    "personen behöver något annat än jobbfokus just nu?",
    "Lena Berglund: Mer än man tror, kanske. Men det kräver att man står på sig. Jag har ibland "
    'skrivit i planen att fokus den här perioden är "stabilisering inför arbetslivsinriktade '
    'insatser". [skratt] Det är ett sätt att säga att vi ska få ordning på livet först, fast med '
    "rätt ord.",
    "Petra Sandberg: [skratt] Det har jag inte hört förut.",
    "Lena Berglund: Nej, nu har du hört det.",
    "Sara Ljung: Men det är ju så vi jobbar, eller hur? Man översätter. Man lär sig vilka ord som fungerar i systemet.",
    "Yusuf Demir: Jag tycker inte att det är fel heller. Huvudsaken är att personen får det den behöver.",
    "Petra Sandberg: Nej, men jag vill inte att det ska vara så att man måste smyga. Om ni tycker "
    "att mallen inte fungerar så ska vi ändra mallen.",
    "Lena Berglund: Okej. Då tar jag upp det på nästa APT.",
    "Petra Sandberg: Gör det.",
    "Moderator:\tJag blev nyfiken på det ni sa om Danmark, att ni hämtade inspiration därifrån. "
    "Hur ser ni på skillnaden mellan systemen?",
    "Petra Sandberg: Ja, vi var på studiebesök i Danmark för ett par år sen. Och det som slog mig "
    "var hur tydligt allt var inriktat på jobb. Det var liksom ingen diskussion om saken. Varje "
    "samtal, varje aktivitet.",
    "Sara Ljung: Men de har ett annat skyddsnät runt omkring också. Ersättningarna är uppbyggda "
    "på ett annat sätt, i alla fall som jag har förstått det. Jag ska inte säga för mycket, jag är "
    "ingen expert. [skratt]",
    "Mikael Holm: Nej, jag vet inte heller exakt hur det ser ut. Men jag tänker att man inte kan "
    "ta ett arbetssätt och lyfta in det utan att titta på vilka rättigheter som finns runt "
    "omkring det.",
    "Petra Sandberg: Nej, det håller jag med om.",
    "Moderator:\tOm vi pratar om rättigheter, vad tänker ni att de som är inskrivna här har rätt till?",
    "Mikael Holm: [paus] Det är en stor fråga. Men för mig är det att få stöd utifrån sin "
    "situation. Inte utifrån hur väl man passar in i en mall.",
    "Lena Berglund: Att bli lyssnad på. Och att få tid.",
    "Yusuf Demir: Att få en riktig chans. Att någon öppnar en dörr till en arbetsgivare. För det "
    "är ju också en rättighet, tycker jag, att få komma in på arbetsmarknaden. Det är inte bara "
    "ett krav.",
    "Sara Ljung: Mm, det var fint sagt.",
    "Petra Sandberg: Jag tänker att det finns en rätt till arbete, och det är den vi försöker "
    "förverkliga. Jobbfokus är inte motsatsen till rättigheter för mig. Det är ett sätt att ta "
    "folk på allvar.",
    "Mikael Holm: Men då måste jobben finnas. Och arbetsgivarna måste vilja anställa. Annars blir "
    "det en rätt som man inte kan använda.",
    "Yusuf Demir: Det är sant. Jag har arbetsgivare som säger rakt ut att de inte vill ha någon "
    "som inte pratar flytande svenska. Även till lagerjobb.",
    "Lena Berglund: Ja, och det har ingenting med kandidatens motivation att göra.",
    "Petra Sandberg: Nej. Och det måste vi bli bättre på att lyfta, uppåt också. Jag tar med mig det.",
    "Moderator:\tSista frågan. Om ni tänker på det här med jobbfokus och mätningar, vad vill ni "
    "behålla och vad vill ni ändra?",
    "Yusuf Demir: Behålla tydligheten. Ändra... kanske hur ofta vi mäter. Var tredje månad blir "
    "tätt när man har många.",
    "Sara Ljung: Behålla samtalsstödet. Ändra frågan om realistisk yrkesplan. [skratt]",
    "Lena Berglund: Behålla att vi pratar om jobb, för det vill faktiskt de flesta. Ändra att "
    "varje möte måste göra det. Och fältet i mallen.",
    "Mikael Holm: Jag vill att kopplingen mellan aktivitet och bistånd blir mer genomtänkt. Att "
    "vi pratar med varandra innan något påverkar någons ekonomi.",
    "Petra Sandberg: Jag vill behålla mätningarna men använda dem annorlunda. Och jag har fått en "
    "del att fundera på i dag, det ska jag erkänna.",
    "Moderator:\tTack så mycket, allihop. Då stänger jag av inspelningen.",
]


def main() -> None:
    write_docx(OUTPUT, PARAGRAPHS, bold_labels=True)
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)} ({len(PARAGRAPHS)} paragraphs)")


if __name__ == "__main__":
    main()
