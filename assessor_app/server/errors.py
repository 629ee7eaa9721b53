"""The one exception the server's storage raises; the app turns it into a JSON error answer."""


class ApiError(Exception):
    """``status`` (HTTP), ``code`` (see sync.wire E_*), ``message`` (for a person), ``extra``."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}
