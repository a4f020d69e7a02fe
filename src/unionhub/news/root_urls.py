"""The public portal at the site root: /p/<unit code>/…, read by anyone without a login."""

from django.urls import path, re_path

from unionhub.news import portal

CODE = r"(?P<code>[A-Za-z0-9_.-]{1,32})"
urlpatterns = [
    re_path(rf"^p/{CODE}/$", portal.home, name="news_portal"),
    re_path(rf"^p/{CODE}/search/$", portal.search, name="news_search"),
    re_path(rf"^p/{CODE}/sitemap\.xml$", portal.sitemap, name="news_sitemap"),
    re_path(rf"^p/{CODE}/feed\.(?P<kind>rss|atom)$", portal.feed, name="news_feed"),
    re_path(rf"^p/{CODE}/c/(?P<category>[a-z]+)/$", portal.category, name="news_category"),
    re_path(
        rf"^p/{CODE}/c/(?P<category>[a-z]+)/feed\.(?P<kind>rss|atom)$",
        portal.feed,
        name="news_category_feed",
    ),
    re_path(rf"^p/{CODE}/s/(?P<slug>[a-z0-9-]+)/$", portal.story, name="news_story"),
    path("p/cover/<int:pk>/<str:size>.jpg", portal.cover, name="news_cover"),
    path("p/photo/<int:pk>/<str:size>.jpg", portal.photo, name="news_photo"),
    path("p/video/<int:pk>", portal.video, name="news_video"),
    path("p/video/<int:pk>/poster.jpg", portal.video_poster, name="news_video_poster"),
]
