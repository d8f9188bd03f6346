// mountMemberDashboard(element, options): OWNER embedding helper.
