"""Friendly error pages in the user's language, with the site layout."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


class ExplainedNotFound(Http404):
    """A 404 whose page says what is missing (a translated message for the user), e.g. a lost file."""

    def __init__(self, message: str, *, title: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.title = title


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A BadNumber (guanwei.params) says which parameter was not a number.
    message = getattr(exception, "message", "")
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {}
    if isinstance(exception, ExplainedNotFound):
        context = {"message": exception.message, "title": exception.title}
    return render(request, "404.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the failure may come from one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
