"""POST /oauth/<provider>/callback: where a `response_mode=form_post` provider (Sign in with Apple) posts `code`
and `state`. It answers 303 to the app's own redirect URI with them in the query, so web and mobile apps finish
with `completeOAuthSignIn` as with every other provider; an unknown, used or expired state gets 400 and no redirect.
"""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from domain.errors import DomainError
from domain.users import oauth
from domain.users.oauth import OAuth

MAX_FORM_BYTES = 16 * 1024


def oauth_callback(area: OAuth) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            return PlainTextResponse("too large", status_code=413)
        form = await request.form()
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        try:
            target = await oauth.hand_back(area, request.path_params["provider"], fields)
        except DomainError as error:
            return PlainTextResponse(error.message, status_code=400)
        # 303: the browser follows with a GET, never re-posting the code to the app
        return RedirectResponse(target, status_code=303, headers={"cache-control": "no-store"})

    return endpoint
