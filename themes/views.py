from django.shortcuts import get_object_or_404, render

from themes.models import Theme


def theme_list(request):
    return render(request, "themes/theme_list.html", {"themes": Theme.objects.all()})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return render(request, "themes/theme_detail.html", {"theme": theme})
