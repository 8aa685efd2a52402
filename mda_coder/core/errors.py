"""The exceptions a user can cause; the CLI turns each into one line and a non-zero exit."""


class MdaError(Exception):
    """A problem the user can fix (bad file, unknown code, bad span).

    The message is shown to the user as is, so it must name the file or the
    thing that is wrong and say what is wrong with it, in one line.
    """


class InputError(MdaError):
    """A file given to mda-coder cannot be read or understood."""


class NotFoundError(MdaError):
    """A document, code, coder, turn or sentence named by the user does not exist."""


class ProjectError(MdaError):
    """The project file itself is missing, locked, or of an unknown schema version."""
