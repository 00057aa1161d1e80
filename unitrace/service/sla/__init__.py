"""SLA clocks (服务时效): policies, the clocks of each work order, and escalation.

``policies.policy_for`` picks the policy of a work order when it opens; ``clocks`` starts
the clocks at open and moves them as the order steps (called by ``service.workorders``
inside its transaction, under the order's row lock); ``escalation.escalate`` is the
periodic job; ``display`` answers what a page shows (``sla_summary``) and filters a list
by SLA state.
"""
