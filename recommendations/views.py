from django.shortcuts import get_object_or_404, render

from recommendations.models import GMGMember, ProposedActivity, Recommendation


def recommendation_detail(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.select_related("meeting", "roundtable"), pk=pk)
    return render(request, "recommendations/recommendation_detail.html", {"recommendation": recommendation})


def activity_detail(request, pk):
    activity = get_object_or_404(ProposedActivity, pk=pk)
    return render(request, "recommendations/activity_detail.html", {"activity": activity})


def gmg_member_detail(request, acronym):
    member = get_object_or_404(GMGMember, acronym=acronym)
    return render(request, "recommendations/gmg_member_detail.html", {"member": member})
