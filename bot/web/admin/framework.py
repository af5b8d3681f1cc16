"""The admin/ERP JSON API framework: declared endpoints, auth, validation, errors, OpenAPI.

Every endpoint is declared once with ``api.route(...)``: its path, the roles that may call it,
its pydantic body/query/response models. That one declaration registers the aiohttp route,
enforces auth and validation, and produces the OpenAPI document, so the document cannot
drift from the implementation.

Errors are always ``{"error": {"code", "message", "field"}}``, never a stack trace.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from pydantic import BaseModel, Field, ValidationError
from pydantic.json_schema import models_json_schema
from tortoise.exceptions import ValidationError as TortoiseValidationError

from bot.infra.logs import get_logger
from bot.runtime import Services
from bot.web.admin.paging import TOTAL_HEADER, Paged
from bot.web.admin.validation_messages import first_problem, problems
from bot.web.appkeys import SERVICES

log = get_logger("bot.api")
PREFIX = "/api/v1"
ALL_ROLES = ("admin", "specialist", "viewer")
ROLE_NAMES = {"admin": "管理员", "specialist": "服务专员", "viewer": "只读", "erp": "ERP"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 problems: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.problems = problems


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable, stable")
    message: str = Field(description="for people, in Chinese")
    field: str | None = Field(default=None, description="the dotted field at fault")
    problems: list[dict[str, Any]] | None = Field(
        default=None, description="every problem (field, message) when there are several")


class ErrorBody(BaseModel):
    error: ErrorDetail


@dataclass(frozen=True)
class Principal:
    """Who is calling: an admin-API token (``kind="token"``) or a signed ERP integration."""

    name: str
    role: str
    kind: str = "token"


# An authenticator looks at the request and returns the caller, None (not its kind of
# credentials), or raises ApiError (its kind, but wrong). Set per endpoint with ``auth=``.
Authenticator = Callable[[web.Request, bytes], Awaitable[Principal | None]]


@dataclass
class ApiRequest:
    request: web.Request
    services: Services
    principal: Principal | None
    params: dict[str, str]
    body: Any = None
    query: Any = None
    raw_body: bytes = b""


Handler = Callable[[ApiRequest], Awaitable[Any]]


@dataclass
class Endpoint:
    method: str
    path: str
    handler: Handler
    roles: tuple[str, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    summary: str
    tag: str
    auth: tuple[Authenticator, ...] = field(default_factory=tuple)
    media: tuple[str, ...] = ("application/json",)
    # A multipart upload the handler reads itself (request.multipart()), past the app's
    # client_max_size: the framework does not read the body first.
    upload: bool = False
    errors: tuple[int, ...] = ()  # error statuses beyond those the declaration implies


def error_response(status: int, code: str, message: str, field: str | None = None,
                   problems: list[dict[str, str]] | None = None) -> web.Response:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, field=field,
                                       problems=problems)).model_dump()
    if problems is None:
        del body["error"]["problems"]  # the body API users have always had
    return web.json_response(body, status=status)


def _field_of(err: ValidationError) -> tuple[str, str]:
    return first_problem(err)


class Api:
    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []
        self.authenticators: list[Authenticator] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        roles: Sequence[str] = ("admin",),
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        summary: str = "",
        tag: str = "api",
        auth: Sequence[Authenticator] = (),
        media: Sequence[str] = ("application/json",),
        upload: bool = False,
        errors: Sequence[int] = (),
    ) -> Callable[[Handler], Handler]:
        """Declare an endpoint. ``roles=()`` makes it public; ``auth`` adds authenticators
        tried before the bearer token (e.g. the ERP signature); ``media`` lists the content
        types a handler that returns its own web.Response may answer with."""

        def register(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(
                method.upper(), path, handler, tuple(roles), body, query, response, status,
                summary or (handler.__doc__ or "").strip().split("\n")[0], tag, tuple(auth),
                tuple(media), upload, tuple(errors),
            ))
            return handler

        return register

    def include(self, other: Api) -> None:
        self.endpoints.extend(other.endpoints)

    def add_routes(self, app: web.Application) -> None:
        for ep in self.endpoints:
            app.router.add_route(ep.method, PREFIX + ep.path, self._wrap(ep))

    def _wrap(self, ep: Endpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            services = request.app[SERVICES]
            raw = await request.read() if request.can_read_body and not ep.upload else b""
            principal = await self._authenticate(ep, request, raw)
            _check_path_and_query(ep, request)
            req = ApiRequest(request, services, principal, dict(request.match_info),
                             raw_body=raw)
            if ep.query is not None:
                try:
                    req.query = ep.query.model_validate(dict(request.query))
                except ValidationError as exc:
                    loc, msg = _field_of(exc)
                    raise ApiError(400, "invalid_query", msg, loc) from None
            if ep.body is not None:
                try:
                    req.body = ep.body.model_validate_json(raw or b"null")
                except ValidationError as exc:
                    loc, msg = _field_of(exc)
                    kinds = {e["type"] for e in exc.errors(include_url=False)}
                    code = "invalid_json" if kinds & {"json_invalid", "json_type"} and not loc \
                        else "invalid_body"
                    raise ApiError(400, code, msg, loc or None,
                                   problems(exc) if len(exc.errors()) > 1 else None) from None
                where = _nul_in(req.body.model_dump() if isinstance(req.body, BaseModel)
                                else req.body)
                if where is not None:
                    raise ApiError(400, "invalid_body", NUL_MESSAGE, where or None)
            result = await ep.handler(req)
            if isinstance(result, web.StreamResponse):
                return result
            if isinstance(result, list) and isinstance(ep.response, list):
                result = Paged(result, len(result))  # an unpaged list: all of it
            if isinstance(result, Paged):
                paged = web.json_response(_dump(result.items), status=ep.status)
                paged.headers[TOTAL_HEADER] = str(result.total)
                return paged
            if ep.status == 204:
                return web.Response(status=204)
            return web.json_response(_dump(result), status=ep.status)

        return handle

    async def _authenticate(self, ep: Endpoint, request: web.Request, raw: bytes
                            ) -> Principal | None:
        if not ep.roles:
            return None
        principal = None
        for authenticator in (*ep.auth, *self.authenticators):
            principal = await authenticator(request, raw)
            if principal is not None:
                break
        if principal is None:
            raise ApiError(401, "unauthorized", "请先登录（或在请求中带上有效的访问令牌）")
        if principal.role not in ep.roles:
            role = ROLE_NAMES.get(principal.role, principal.role)
            raise ApiError(403, "forbidden", f"角色「{role}」无权进行此操作")
        return principal

    # -- OpenAPI -----------------------------------------------------------------------------

    def openapi(self, title: str = "wecom-bot admin API", version: str = "1") -> dict[str, Any]:
        models: set[type[BaseModel]] = {ErrorBody}
        for ep in self.endpoints:
            for m in (ep.body, ep.query, _model_of(ep.response)):
                if m is not None:
                    models.add(m)
        keyed = sorted(models, key=lambda m: m.__name__)
        refs, defs = models_json_schema(
            [(m, "validation") for m in keyed], ref_template="#/components/schemas/{model}"
        )
        schemas = dict(defs.get("$defs", {}))
        ref = {m: refs[(m, "validation")] for m in keyed}
        paths: dict[str, dict[str, Any]] = {}
        for ep in self.endpoints:
            op: dict[str, Any] = {
                "operationId": ep.handler.__name__,
                "summary": ep.summary,
                "tags": [ep.tag],
                "responses": _responses(ep, ref),
            }
            params = [_path_param(name, pattern)
                      for name, pattern in _PATH_VARS.findall(ep.path)]
            if ep.query is not None:
                for name, f in ep.query.model_fields.items():
                    schema = ep.query.model_json_schema()["properties"][name]
                    params.append({"name": f.alias or name, "in": "query",
                                   "required": f.is_required(), "schema": schema})
            if params:
                op["parameters"] = params
            if ep.body is not None:
                op["requestBody"] = {"required": True, "content": {
                    "application/json": {"schema": ref[ep.body]}}}
            elif ep.upload:
                op["requestBody"] = {"required": True, "content": {"multipart/form-data": {
                    "schema": {"type": "object", "required": ["file"], "properties": {
                        "file": {"type": "string", "format": "binary"}}}}}}
            if ep.roles:
                op["security"] = [{"bearer": []}]
            path = _PATH_VARS.sub(r"{\1}", PREFIX + ep.path)
            paths.setdefault(path, {})[ep.method.lower()] = op
        return {
            "openapi": "3.0.3",
            "info": {"title": title, "version": version},
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }


# {name} or {name:regex}, where the regex may hold one level of braces ({1,18}).
# Text with NUL cannot be stored (PostgreSQL refuses it) and is never meant: a clear 400.
NUL_MESSAGE = "文本不能含有 NUL 字符"
# A numeric id in a path ([0-9]{1,N}) beyond what an id column holds names no row.
_NUMERIC_ID = re.compile(r"^\[0-9\]\{1,\d+\}$")
ID_MAX = 2**31 - 1


def _check_path_and_query(ep: Endpoint, request: web.Request) -> None:
    for name, value in request.match_info.items():
        if "\x00" in value:
            raise ApiError(400, "invalid_path", NUL_MESSAGE, name)
    for name, pattern in _PATH_VARS.findall(ep.path):
        value = request.match_info.get(name, "")
        if pattern and _NUMERIC_ID.match(pattern) and value.isdigit() and int(value) > ID_MAX:
            raise ApiError(404, "not_found", f"找不到 {name} 为 {value} 的记录")
    for key, value in request.query.items():
        if "\x00" in key or "\x00" in value:
            raise ApiError(400, "invalid_query", NUL_MESSAGE, key)


def _nul_in(value: Any, where: str = "") -> str | None:
    """Where a NUL hides in a parsed body (a dotted path; "" for the top), else None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return where
        found = _nul_in(item, f"{where}.{key}" if where else str(key))
        if found is not None:
            return found
    return None


_PATH_VARS = re.compile(r"{(\w+)(?::((?:[^{}]|\{[^{}]*\})*))?}")


def _path_param(name: str, pattern: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    if pattern:  # e.g. {id:[0-9]+}: the route only matches these
        schema["pattern"] = f"^{pattern}$"
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _model_of(response: Any) -> type[BaseModel] | None:
    if isinstance(response, type) and issubclass(response, BaseModel):
        return response
    if isinstance(response, list) and response and isinstance(response[0], type):
        return response[0] if issubclass(response[0], BaseModel) else None
    return None


def _responses(ep: Endpoint, ref: dict[type[BaseModel], Any]) -> dict[str, Any]:
    as_json = {"application/json": {"schema": ref[ErrorBody]}}
    error = {"description": "error", "content": as_json}
    out: dict[str, Any] = {}
    model = _model_of(ep.response)
    if ep.status == 204:
        out["204"] = {"description": "done"}
    elif model is not None:
        schema = ref[model] if not isinstance(ep.response, list) else {
            "type": "array", "items": ref[model]}
        out[str(ep.status)] = {"description": "ok", "content": {"application/json": {
            "schema": schema}}}
        if isinstance(ep.response, list):
            out[str(ep.status)]["headers"] = {TOTAL_HEADER: {
                "description": "how many rows match, on every page", "schema": {
                    "type": "integer"}}}
    else:
        out[str(ep.status)] = {"description": "ok", "content": {m: {"schema": {}}
                                                                for m in ep.media}}
    codes = ["401", "403"] if ep.roles else []
    codes += ["404", "409"] if "{" in ep.path or ep.method != "GET" else []
    codes += [str(c) for c in ep.errors if str(c) not in codes]
    for code in codes:
        out[code] = error
    # Bad input is a 400 in JSON. And any request whose request line or a header passes
    # aiohttp's limits (8,190 bytes) is refused by its HTTP parser before the API sees it:
    # a 400 in plain text, on any path.
    out["400"] = {"description": "error; in plain text when the request line or a header "
                                 "is over 8,190 bytes", "content": {
        **as_json, "text/plain": {"schema": {"type": "string"}}}}
    return out


def _dump(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_dump(r) for r in result]
    if isinstance(result, dict):
        return {k: _dump(v) for k, v in result.items()}
    return result


@web.middleware
async def error_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """JSON errors for everything under /api/: never an HTML page or a stack trace."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.field, exc.problems)
    except TortoiseValidationError as exc:
        # A value the database column cannot hold (too long, out of range): the caller's input.
        # Mapping an exception to a status is HTTP work, so this ORM import stays in the web
        # layer; the domain would otherwise have to re-raise it as its own for every write.
        return error_response(400, "invalid", f"取值超出允许的范围：{str(exc)[:200]}")
    except HttpProcessingError as exc:
        # A body aiohttp could not parse as it was read (a multipart part's headers, say).
        log.info("api.unparsable_body", path=request.path, error=type(exc).__name__)
        return error_response(400, "invalid", "请求内容无法解析")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status, "http_error")
        message = {404: "没有这个接口", 405: "这个接口不支持此请求方法",
                   413: "请求内容太大"}.get(exc.status, f"请求无法处理（HTTP {exc.status}）")
        return error_response(exc.status, code, message)
    except Exception as exc:
        log.error("api.internal_error", path=request.path, error=type(exc).__name__,
                  exc_info=True)
        return error_response(500, "internal", "服务内部错误，请查看服务日志")
