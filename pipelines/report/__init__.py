"""The annotated HTML view of each article and the index page (Jinja2 templates + rendering)."""
