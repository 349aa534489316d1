from django.urls import path

from koers.support.views import answer, manage, network, results

app_name = "support"

base = "o/<slug:org_slug>/support/"
wave = f"{base}waves/<int:number>/"

urlpatterns = [
    # Results (owner, manager, strategist, advisor)
    path(base, results.dashboard, name="dashboard"),
    path(f"{base}trend.svg", results.trend_chart, name="trend_chart"),
    path(f"{wave}results/", results.wave_results, name="wave_results"),
    path(f"{wave}results.csv", results.export_csv, name="export_csv"),
    # Running waves (owner, manager, strategist)
    path(f"{base}waves/", manage.waves, name="waves"),
    path(f"{base}waves/new/", manage.wave_create, name="wave_create"),
    path(wave, manage.wave, name="wave"),
    path(f"{wave}edit/", manage.wave_edit, name="wave_edit"),
    path(f"{wave}questions/new/", manage.question_create, name="question_create"),
    path(f"{wave}questions/<int:pk>/", manage.question_edit, name="question_edit"),
    path(f"{wave}questions/<int:pk>/delete/", manage.question_delete, name="question_delete"),
    path(f"{wave}launch/", manage.launch, name="launch"),
    path(f"{wave}remind/", manage.remind, name="remind"),
    path(f"{wave}close/", manage.close, name="close"),
    # Ambassador network (team: owner, manager, strategist; own profile: every member)
    path(f"{base}ambassadors/", network.ambassadors, name="ambassadors"),
    path(f"{base}ambassadors/propose/", network.ambassador_propose, name="ambassador_propose"),
    path(f"{base}ambassadors/teams/new/", network.team_create, name="team_create"),
    path(
        f"{base}ambassadors/<int:pk>/invite/", network.ambassador_invite, name="ambassador_invite"
    ),
    path(f"{base}ambassador/", network.my_ambassador, name="my_ambassador"),
    # Maturity (read: support.view; assess: support.manage)
    path(f"{base}maturity/", network.maturity, name="maturity"),
    path(f"{base}maturity/assess/", network.maturity_assess, name="maturity_assess"),
    # Answering, through the personal link (no login)
    path("survey/<str:token>/", answer.answer, name="answer"),
    path("survey/<str:token>/thanks/", answer.thanks, name="thanks"),
]
