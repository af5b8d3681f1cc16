"""Pipelines API: the stages per order type, with templates and expected durations."""

from __future__ import annotations

from pydantic import BaseModel

from bot.customers import rich_content
from bot.customers.customer_errors import CustomersError
from bot.orders import pipelines
from bot.orders.pipelines import PipelineSpec, StageSpec
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.orders_api import READ, domain

api = Api()


class PipelineOut(BaseModel):
    order_type: str
    stages: list[StageSpec]


def _out(s: pipelines.Stages) -> PipelineOut:
    return PipelineOut(order_type=s.order_type, stages=s.spec.stages)


@api.route("GET", "/pipelines", roles=READ, response=[PipelineOut], tag="pipelines")
async def pipeline_list(req: ApiRequest) -> list[PipelineOut]:
    """Every pipeline, the default one included."""
    return [_out(s) for s in await pipelines.all_pipelines()]


@api.route("GET", "/pipelines/{order_type}", roles=READ, response=PipelineOut, tag="pipelines")
async def pipeline_get(req: ApiRequest) -> PipelineOut:
    """One order type's pipeline."""
    return _out(await domain(lambda: pipelines.load(req.params["order_type"])))


@api.route("PUT", "/pipelines/{order_type}", roles=("admin",),
           body=PipelineSpec, response=PipelineOut, tag="pipelines")
async def pipeline_put(req: ApiRequest) -> PipelineOut:
    """Create or replace an order type's pipeline (409 if it drops a stage in use)."""
    for i, stage in enumerate(req.body.stages):
        # What add_msg_template takes (≤9, media from the library), named by field.
        try:
            stage.group_attachments = await rich_content.check_attachments(
                "add_msg_template", stage.group_attachments, f"stages[{i}].group_attachments")
        except CustomersError as exc:
            raise ApiError(400, "invalid", exc.message, exc.field) from None
    return _out(await domain(lambda: pipelines.save(req.params["order_type"], req.body)))
