"""The REST API (django-ninja). Every endpoint works inside the token's organisation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError

from koers.api.auth import TokenAuth, capability
from koers.api.content import router as content_router
from koers.api.listening import router as listening_router
from koers.orgs import access, actions
from koers.orgs.models import Department, Membership
from koers.support.models import WaveStatus
from koers.support.results import wave_results

api = NinjaAPI(
    title="Koers API",
    version="1",
    description=(
        "Koers REST API. Create a token under Organisation → API tokens and send it as "
        "`Authorization: Bearer <token>`. A token works in one organisation with the "
        "role of the member who created it."
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)


class ErrorOut(Schema):
    detail: str


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "Your role does not allow this."}, status=403)


class OrganisationOut(Schema):
    name: str
    slug: str
    default_language: str
    time_zone: str


class DepartmentOut(Schema):
    id: int
    name: str


class DepartmentIn(Schema):
    name: str


class MemberOut(Schema):
    id: int
    email: str
    name: str
    role: str
    department: str | None


def _validation(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


@api.get("/v1/organisation", response=OrganisationOut, tags=["organisation"])
@capability("org.view")
def get_organisation(request):
    return request.org


@api.get("/v1/departments", response=list[DepartmentOut], tags=["organisation"])
@capability("org.view")
def list_departments(request):
    return Department.objects.filter(organisation=request.org).order_by("name")


@api.post("/v1/departments", response={201: DepartmentOut, 422: ErrorOut}, tags=["organisation"])
@capability("departments.manage")
def create_department(request, payload: DepartmentIn):
    try:
        department = actions.create_department(
            request.org, name=payload.name, by=request.membership.user, request=request
        )
    except ValidationError as error:
        raise _validation(error) from None
    return Status(201, department)


@api.get("/v1/departments/{department_id}", response=DepartmentOut, tags=["organisation"])
@capability("org.view")
def get_department(request, department_id: int):
    return access.get_department(request, department_id)


@api.patch(
    "/v1/departments/{department_id}",
    response={200: DepartmentOut, 422: ErrorOut},
    tags=["organisation"],
)
@capability("departments.manage")
def rename_department(request, department_id: int, payload: DepartmentIn):
    department = access.get_department(request, department_id, write=True)
    try:
        return actions.rename_department(
            department, name=payload.name, by=request.membership.user, request=request
        )
    except ValidationError as error:
        raise _validation(error) from None


@api.delete("/v1/departments/{department_id}", response={204: None}, tags=["organisation"])
@capability("departments.manage")
def delete_department(request, department_id: int):
    department = access.get_department(request, department_id, write=True)
    actions.delete_department(department, by=request.membership.user, request=request)
    return Status(204, None)


@api.get("/v1/members", response=list[MemberOut], tags=["organisation"])
@capability("members.view")
def list_members(request):
    rows = (
        Membership.objects.for_org(request.org)
        .select_related("user", "department")
        .order_by("user__email")
    )
    return [
        MemberOut(
            id=m.pk,
            email=m.user.email,
            name=m.user.name,
            role=m.role,
            department=m.department.name if m.department else None,
        )
        for m in rows
    ]


# --- draagvlak ------------------------------------------------------------------------


class DraagvlakComponentsOut(Schema):
    support: float | None
    understanding: float | None
    participation: float | None
    example: float | None


class DraagvlakGroupOut(Schema):
    key: str
    name: str
    responses: int
    index: int | None
    components: DraagvlakComponentsOut


class WaveResultsOut(Schema):
    number: int
    title: str
    status: str
    min_group_size: int
    responses: int
    shown: bool
    overall: DraagvlakGroupOut | None
    groups: list[DraagvlakGroupOut]
    other_includes: list[str]


def _draagvlak_group(group) -> dict:
    return {
        "key": group.key,
        "name": group.label,
        "responses": group.responses,
        "index": group.index,
        "components": {
            name: None if value is None else round(value, 1)
            for name, value in group.component_values.items()
        },
    }


@api.get("/v1/support/waves/{number}/results", response=WaveResultsOut, tags=["support"])
@capability("support.view")
def get_wave_results(request, number: int):
    """The draagvlak index of one launched or closed wave, overall and per group. Groups
    with fewer responses than the wave's minimum are never listed: they are counted in
    "other" (and ``shown`` is false when the whole wave has too few responses)."""
    wave = access.get_wave(request, number)
    if wave.status == WaveStatus.DRAFT:
        raise Http404
    figures = wave_results(wave)
    return {
        "number": wave.number,
        "title": wave.title,
        "status": wave.status,
        "min_group_size": wave.min_group_size,
        "responses": figures.responses,
        "shown": figures.shown,
        "overall": _draagvlak_group(figures.overall) if figures.shown else None,
        "groups": [_draagvlak_group(g) for g in figures.groups] if figures.shown else [],
        "other_includes": figures.folded if figures.shown else [],
    }


api.add_router("", content_router)
api.add_router("", listening_router)
