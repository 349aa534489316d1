from django.urls import path  # noqa: F401  (the views come with the listening UI)

app_name = "listening"

urlpatterns: list = []
