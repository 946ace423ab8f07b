# govshare's statutory rules in Rego, doing the whole job a team would give
# OPA/regorus instead of govshare: the registry is `data.registry`, the raw
# usage request (wire format) is `input`, and `decision` finds the grant(s),
# expands the purpose lineage, judges every rule — the grant as it stood at
# `at` (suspensions, reinstatements, terminations, renewals, amendments,
# consents, the approval, the withdrawal of the entry) and the conditions of
# conditional sharing — and answers allow or deny with every broken rule id
# and the facts each reason cites, explained against the grant with the
# fewest broken rules (ties: the smallest id), as govshare does. A request
# may name a processor, a contractor acting for the requester (Art. 36),
# judged against its entry as it stood at `at`.
#
# The registry is the wire-format registry prepared the way an OPA user
# would prepare data: departments, datasets and grants indexed by id, the
# grants of each requester and dataset listed under `pairs` in id order,
# the purpose vocabulary as a set of codes, contractors indexed by id, and
# every instant given beside
# its RFC 3339 text as nanoseconds since the epoch (`*_ns`). Obligations
# (the disposal due date on the PRC working-day calendar) are not computed
# here; govshare computes them.
package govshare

import rego.v1

reg := data.registry

at := time.parse_rfc3339_ns(input.at)

# ---------------------------------------------------------------- requester

requester := reg.departments[input.requester]

requester_registered if requester

# ------------------------------------------------------------------ dataset

dataset := reg.datasets[input.dataset]

dataset_status := "published" if {
	dataset.status == "withdrawn"
	at < dataset.withdrawn.at_ns
} else := dataset.status

conditions := dataset.sharing.conditions if {
	dataset.sharing.class == "conditional"
}

# ----------------------------------------------------------------- purposes

parts := split(input.purpose, ".")

lineage := {concat(".", array.slice(parts, 0, n)) | some n in numbers.range(1, count(parts))}

vocabulary if reg.purposes

purpose_registered if reg.purposes[input.purpose]

within := lineage if not vocabulary

within := {p | some p in lineage; reg.purposes[p]} if purpose_registered

within := set() if {
	vocabulary
	not purpose_registered
}

# ----------------------------------------------- rules before any grant

sorted(xs) := sort([x | some x in xs])

or_null(obj, key) := obj[key] if {
	key in object.keys(obj)
} else := null

r_unknown_requester := [{"rule": "GS-UNKNOWN-REQUESTER", "facts": {"requester": input.requester}}] if {
	not requester_registered
} else := []

r_not_published := [] if {
	dataset_status == "published"
} else := [{"rule": "GS-NOT-PUBLISHED", "facts": {
	"dataset": input.dataset, "status": dataset_status,
	"withdrawn_at": dataset.withdrawn.at, "filed_with": dataset.withdrawn.filed_with,
}}] if {
	dataset_status == "withdrawn"
	dataset.withdrawn
} else := [{"rule": "GS-NOT-PUBLISHED", "facts": {"dataset": input.dataset, "status": dataset_status}}] if {
	dataset
} else := [{"rule": "GS-NOT-PUBLISHED", "facts": {"dataset": input.dataset, "status": null}}]

r_not_shared := [{"rule": "GS-NOT-SHARED", "facts": {
	"dataset": input.dataset, "reason": dataset.sharing.reason,
	"basis": or_null(dataset.sharing, "basis"),
}}] if {
	dataset.sharing.class == "not_shared"
} else := []

r_unknown_provider := [{"rule": "GS-UNKNOWN-PROVIDER", "facts": {"dataset": input.dataset, "provider": dataset.provider}}] if {
	dataset
	not reg.departments[dataset.provider]
} else := []

r_secret := [{"rule": "GS-SECRET-DATA", "facts": {"dataset": input.dataset, "secret": dataset.secret}}] if {
	dataset.secret
} else := []

covers(code, region) if {
	endswith(code, "0000")
	startswith(region, substring(code, 0, 2))
}

covers(code, region) if {
	not endswith(code, "0000")
	endswith(code, "00")
	startswith(region, substring(code, 0, 4))
}

covers(code, region) if {
	not endswith(code, "00")
	code == region
}

outside_regions if {
	conditions.regions
	not requester.region
}

outside_regions if {
	conditions.regions
	not region_covered
}

region_covered if {
	some code in conditions.regions
	covers(code, requester.region)
}

outside_levels if {
	conditions.levels
	not requester.level in conditions.levels
}

outside_departments if {
	conditions.departments
	not input.requester in conditions.departments
}

outside := array.concat(array.concat(
	["regions" | outside_regions],
	["levels" | outside_levels],
), ["departments" | outside_departments])

sorted_or_null(key) := sorted(conditions[key]) if {
	conditions[key]
} else := null

r_outside_scope := [{"rule": "GS-OUTSIDE-SHARING-SCOPE", "facts": {
	"requester": input.requester, "level": requester.level,
	"region": or_null(requester, "region"), "outside": outside,
	"regions": sorted_or_null("regions"), "levels": sorted_or_null("levels"),
	"departments": sorted_or_null("departments"),
}}] if {
	requester_registered
	count(outside) > 0
} else := []

use_permitted if {
	some p in conditions.purposes
	p in within
}

r_use_not_permitted := [{"rule": "GS-USE-NOT-PERMITTED", "facts": {
	"purpose": input.purpose, "permitted_purposes": sorted({p | some p in conditions.purposes}),
}}] if {
	conditions.purposes
	not use_permitted
} else := []

r_unregistered := [{"rule": "GS-UNREGISTERED-PURPOSE", "facts": {"purpose": input.purpose}}] if {
	vocabulary
	not purpose_registered
} else := []

request_reasons := array.concat(
	array.concat(array.concat(r_unknown_requester, r_not_published), array.concat(r_not_shared, r_unknown_provider)),
	array.concat(array.concat(r_secret, r_outside_scope), array.concat(r_use_not_permitted, r_unregistered)),
)

# --------------------------------------------------------------- processor

# The contractor the request names as its processor, and its entrustment
# as it stood at `at`: in force from the later of the contract's start and
# the recorded entrustment, until the contract's end or the recorded end of
# the entrustment once that has come.
contractor := reg.contractors[input.processor]

c_events(kind) := [e | some e in object.get(contractor, "history", []); e.change.kind == kind]

c_from := {"text": e.at, "ns": e.at_ns} if {
	es := c_events("entrusted")
	count(es) > 0
	e := es[0]
	e.at_ns > contractor.contract.valid_from_ns
} else := {"text": contractor.contract.valid_from, "ns": contractor.contract.valid_from_ns}

c_until := {"text": e.at, "ns": e.at_ns} if {
	es := c_events("ended")
	count(es) > 0
	e := es[0]
	e.at_ns <= at
	e.at_ns < contractor.contract.valid_until_ns
} else := {"text": contractor.contract.valid_until, "ns": contractor.contract.valid_until_ns}

c_in_force if {
	c_from.ns <= at
	at < c_until.ns
}

# access needs processing or operation, use needs processing, transfer is
# never entrusted.
c_covers if {
	input.action == "access"
	some a in contractor.activities
	a in {"processing", "operation"}
}

c_covers if {
	input.action == "use"
	"processing" in contractor.activities
}

c_fails := array.concat(
	array.concat(
		["other_requester" | contractor.department != input.requester],
		["dataset_not_entrusted" | not input.dataset in contractor.datasets],
	),
	array.concat(
		array.concat(["activity_not_covering" | not c_covers], ["contract_not_in_force" | not c_in_force]),
		["no_security_agreement" | not contractor.contract.security_agreement],
	),
)

processor_reasons := [] if {
	not input.processor
} else := [{"rule": "GS-PROCESSOR-NOT-ENTRUSTED", "facts": {"processor": input.processor, "failed": ["not_a_contractor"]}}] if {
	not contractor
} else := [{"rule": "GS-PROCESSOR-NOT-ENTRUSTED", "facts": {
	"processor": input.processor, "failed": c_fails, "department": contractor.department,
	"contract": contractor.contract.id, "datasets": sorted(contractor.datasets),
	"activities": sorted(contractor.activities), "valid_from": c_from.text, "valid_until": c_until.text,
	"security_agreement": contractor.contract.security_agreement, "at": input.at,
}}] if {
	count(c_fails) > 0
} else := []

# --------------------------------------------------------------- candidates

candidates := [input.grant] if {
	input.grant
	reg.grants[input.grant].dataset == input.dataset
} else := [] if {
	input.grant
} else := ids if {
	ids := reg.pairs[input.requester][input.dataset]
} else := []

named_problem := "not_found" if {
	input.grant
	not reg.grants[input.grant]
} else := "other_dataset" if {
	input.grant
	reg.grants[input.grant].dataset != input.dataset
}

# ------------------------------------------------- a grant as it stood at `at`

history(g) := object.get(g, "history", [])

status_kinds := {"suspended", "reinstated", "terminated"}

status_events(g) := [e | some e in history(g); e.change.kind in status_kinds]

kind_status := {"suspended": "suspended", "reinstated": "active", "terminated": "terminated"}

status_at(g) := "active" if {
	count(status_events(g)) == 0
	g.status == "suspended"
	at < g.suspension.at_ns
} else := g.status if {
	count(status_events(g)) == 0
} else := kind_status[last.change.kind] if {
	past := [e | some e in status_events(g); e.at_ns <= at]
	count(past) > 0
	last := past[count(past) - 1]
} else := "active" if {
	status_events(g)[0].change.kind == "suspended"
} else := "suspended"

amendments(g, key) := [e.change[key] | some e in history(g); e.change.kind == "amended"; e.change[key]; e.at_ns <= at]

items_at(g) := xs[count(xs) - 1] if {
	xs := amendments(g, "items")
	count(xs) > 0
} else := g.items

methods_at(g) := xs[count(xs) - 1] if {
	xs := amendments(g, "methods")
	count(xs) > 0
} else := g.methods

purposes_at(g) := xs[count(xs) - 1] if {
	xs := amendments(g, "purposes")
	count(xs) > 0
} else := [g.purpose]

renewals(g) := [e.change | some e in history(g); e.change.kind == "renewed"; e.at_ns <= at]

until(g) := rs[count(rs) - 1] if {
	rs := renewals(g)
	count(rs) > 0
} else := {"valid_until": g.valid_until, "valid_until_ns": g.valid_until_ns}

from(g) := {"valid_from": e.at, "valid_from_ns": e.at_ns} if {
	approvals := [e | some e in history(g); e.change.kind == "approved"]
	count(approvals) > 0
	e := approvals[0]
	e.at_ns > g.valid_from_ns
} else := {"valid_from": g.valid_from, "valid_from_ns": g.valid_from_ns}

consented(g, kind) := {c.value | some c in object.get(g, "consents", []); c.kind == kind; c.at_ns <= at}

granted_items(g) := {i | some i in items_at(g)} | consented(g, "item")

granted_purposes(g) := {p | some p in purposes_at(g)} | consented(g, "purpose")

# ------------------------------------------------------- the grant's rules

grant_reasons(id) := array.concat(
	array.concat(
		array.concat(
			array.concat(g_other(g, id), g_scope(g)),
			array.concat(g_purpose(g), array.concat(g_third(g), processor_reasons)),
		),
		array.concat(array.concat(g_method(g), g_not_yet(g)), array.concat(g_ended(g), g_purpose_ended(g))),
	),
	array.concat(array.concat(g_suspended(g, id), g_terminated(g, id)), g_disposed(g)),
) if {
	g := reg.grants[id]
}

g_other(g, id) := [{"rule": "GS-GRANT-OTHER-REQUESTER", "facts": {
	"grant": id, "grant_requester": g.requester, "requester": input.requester,
}}] if {
	g.requester != input.requester
} else := []

g_scope(g) := [{"rule": "GS-SCOPE-EXPANSION", "facts": {
	"items_outside_grant": sorted(out), "granted_items": sorted(granted),
}}] if {
	granted := granted_items(g)
	out := {i | some i in input.items; not i in granted}
	count(out) > 0
} else := []

purpose_granted(g) if {
	some p in within
	p in granted_purposes(g)
}

g_purpose(g) := [{"rule": "GS-PURPOSE-CHANGE", "facts": object.union(
	{"purpose": input.purpose, "granted_purposes": sorted(granted_purposes(g))},
	counted_within,
)}] if {
	not purpose_granted(g)
} else := []

counted_within := {} if {
	count(within) == count(lineage)
} else := {"counted_within": sorted(within)}

g_third(g) := [{"rule": "GS-THIRD-PARTY", "facts": {
	"recipient": input.recipient, "consented_recipients": sorted(recipients),
}}] if {
	input.action == "transfer"
	recipients := consented(g, "recipient")
	not input.recipient in recipients
} else := []

g_method(g) := [{"rule": "GS-METHOD-NOT-GRANTED", "facts": {
	"method": input.method, "granted_methods": sorted(methods_at(g)),
}}] if {
	input.action == "access"
	not input.method in methods_at(g)
} else := []

g_not_yet(g) := [{"rule": "GS-NOT-YET-VALID", "facts": {"at": input.at, "valid_from": f.valid_from}}] if {
	f := from(g)
	at < f.valid_from_ns
} else := []

g_ended(g) := [{"rule": "GS-PERIOD-ENDED", "facts": {"at": input.at, "valid_until": u.valid_until}}] if {
	u := until(g)
	at >= u.valid_until_ns
} else := []

g_purpose_ended(g) := [{"rule": "GS-PURPOSE-ENDED", "facts": {"trigger": g.ended.trigger, "ended_at": g.ended.at}}] if {
	at >= g.ended.at_ns
} else := []

g_suspended(g, id) := [{"rule": "GS-GRANT-SUSPENDED", "facts": {"grant": id, "status": "suspended"}}] if {
	status_at(g) == "suspended"
} else := []

g_terminated(g, id) := [{"rule": "GS-GRANT-TERMINATED", "facts": {"grant": id, "status": "terminated"}}] if {
	status_at(g) == "terminated"
} else := []

g_disposed(g) := [{"rule": "GS-DISPOSED", "facts": {
	"method": g.disposed.method, "disposed_at": g.disposed.at, "attested_by": g.disposed.attested_by,
}}] if {
	at >= g.disposed.at_ns
} else := []

# ------------------------------------------------------------- the decision

judged := [{"id": id, "reasons": grant_reasons(id)} | some id in candidates]

allowing := [j.id | some j in judged; count(j.reasons) == 0]

fewest := min([count(j.reasons) | some j in judged])

chosen := [j | some j in judged; count(j.reasons) == fewest][0]

no_grant_facts := {"requester": input.requester, "dataset": input.dataset, "named_grant": input.grant, "named_grant_problem": named_problem} if {
	named_problem
} else := {"requester": input.requester, "dataset": input.dataset}

allowed := allowing[0] if count(request_reasons) == 0

permit := {"grant": allowed, "purpose": input.purpose, "valid_until": until(reg.grants[allowed]).valid_until}

decision := {
	"decision": "allow", "grant": allowed,
	"reasons": [{"rule": "GS-PERMIT", "facts": permit}],
} if {
	allowed
} else := {
	"decision": "deny", "grant": chosen.id,
	"reasons": array.concat(request_reasons, chosen.reasons),
} if {
	count(judged) > 0
} else := {
	"decision": "deny", "grant": null,
	"reasons": array.concat(
		request_reasons,
		array.concat([{"rule": "GS-NO-GRANT", "facts": no_grant_facts}], processor_reasons),
	),
}
