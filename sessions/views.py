from django.shortcuts import get_object_or_404, render

from sessions.models import Meeting, Session


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(request, "sessions/meeting_detail.html", {"meeting": meeting})


def session_detail(request, meeting, slug):
    session = get_object_or_404(Session.objects.with_context(), meeting__slug=meeting, slug=slug)
    return render(request, "sessions/session_detail.html", {"session": session})
