"""The error type every subcommand raises for a failure the user should read as one line."""


class CliError(Exception):
    """A failure to report as one readable line and a non-zero exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code
