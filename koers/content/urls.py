from django.urls import path

from koers.content.views import calendar, items, mix, review, rules, selfcheck, tasks

app_name = "content"

ORG = "o/<slug:org_slug>/content/"
ITEM = ORG + "items/<int:pk>/"

urlpatterns = [
    path(ORG + "check/", selfcheck.self_check, name="self_check"),
    # The pipeline and its items.
    path(ORG, items.pipeline, name="pipeline"),
    path(ORG + "ideas/", items.ideas, name="ideas"),
    path(ORG + "items/new/", items.create, name="create"),
    path(ITEM, items.detail, name="detail"),
    path(ITEM + "edit/", items.edit, name="edit"),
    path(ITEM + "variants/<slug:channel>/", items.variant, name="variant"),
    path(ITEM + "check/", items.variant_check, name="variant_check"),
    path(ITEM + "transition/", items.transition, name="transition"),
    path(ITEM + "override/", items.override, name="override"),
    path(ITEM + "photo/", items.photo, name="photo"),
    # Approval.
    path(ITEM + "decide/", review.decide, name="decide"),
    path(ITEM + "review-links/", review.review_link_create, name="review_link_create"),
    path(
        ITEM + "review-links/<int:link_pk>/revoke/",
        review.review_link_revoke,
        name="review_link_revoke",
    ),
    path("review/<int:item_pk>/<str:token>/", review.review, name="review"),
    path(ORG + "approval-rules/", rules.approval_rules, name="approval_rules"),
    path(
        ORG + "approval-rules/<int:pk>/delete/",
        rules.approval_rule_delete,
        name="approval_rule_delete",
    ),
    path(
        ORG + "approval-rules/<int:pk>/move/", rules.approval_rule_move, name="approval_rule_move"
    ),
    # Planning.
    path(ORG + "calendar/", calendar.calendar, name="calendar"),
    path(ITEM + "reschedule/", calendar.reschedule, name="reschedule"),
    path(ORG + "evergreen/", calendar.evergreen, name="evergreen"),
    path(ITEM + "evergreen/", calendar.evergreen_use, name="evergreen_use"),
    path(ORG + "mix/", mix.mix, name="mix"),
    path(ORG + "mix/targets/", mix.mix_targets, name="mix_targets"),
    # Role tasks.
    path(ORG + "tasks/", tasks.my_tasks, name="my_tasks"),
    path(ORG + "tasks/<int:pk>/done/", tasks.task_done, name="task_done"),
    path(ORG + "tasks/manage/", tasks.tasks_manage, name="tasks_manage"),
    path(ORG + "tasks/manage/<int:pk>/", tasks.task_edit, name="task_edit"),
]
