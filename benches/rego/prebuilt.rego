# The statutory rules of govshare written in Rego, for the secondary line of
# the benchmark's peer comparison: the input is the facts govshare computed
# (the grant already looked up, the purpose lineage already expanded), and
# the answer only allow or not. The fair peer is govshare.rego.
package govshare_prebuilt

import rego.v1

default allow := false

allow if {
	input.grant
	count(deny) == 0
}

deny contains "GS-UNKNOWN-REQUESTER" if not input.requester_registered

deny contains "GS-NOT-PUBLISHED" if not published

published if input.dataset.status == "published"

deny contains "GS-NOT-SHARED" if input.dataset.class == "not_shared"

deny contains "GS-UNKNOWN-PROVIDER" if {
	input.dataset
	not input.dataset.provider_registered
}

deny contains "GS-SECRET-DATA" if input.dataset.secret

deny contains "GS-OUTSIDE-SHARING-SCOPE" if {
	input.requester_registered
	input.dataset.class == "conditional"
	input.dataset.requester_in_scope == false
}

deny contains "GS-USE-NOT-PERMITTED" if {
	input.dataset.class == "conditional"
	input.dataset.use_permitted == false
}

deny contains "GS-UNREGISTERED-PURPOSE" if {
	input.purpose_vocabulary
	not input.purpose_registered
}

deny contains "GS-NO-GRANT" if not input.grant

deny contains "GS-GRANT-OTHER-REQUESTER" if input.grant.requester != input.principal

deny contains "GS-SCOPE-EXPANSION" if {
	some item in input.items
	not item in input.grant.items
}

deny contains "GS-PURPOSE-CHANGE" if {
	input.grant
	not purpose_granted
}

purpose_granted if {
	some p in input.purpose_within
	p in input.grant.purposes
}

deny contains "GS-THIRD-PARTY" if {
	input.action == "transfer"
	input.grant
	not recipient_consented
}

recipient_consented if input.recipient in input.grant.recipients

deny contains "GS-PROCESSOR-NOT-ENTRUSTED" if {
	input.processor
	not entrusted
}

entrusted if {
	input.contractor.department == input.principal
	input.dataset_id in input.contractor.datasets
	activity_covers
	input.contractor.valid_from <= input.at
	input.at < input.contractor.valid_until
	input.contractor.security_agreement
}

activity_covers if {
	input.action == "access"
	some a in input.contractor.activities
	a in {"processing", "operation"}
}

activity_covers if {
	input.action == "use"
	"processing" in input.contractor.activities
}

deny contains "GS-METHOD-NOT-GRANTED" if {
	input.action == "access"
	input.grant
	not method_granted
}

method_granted if input.method in input.grant.methods

deny contains "GS-NOT-YET-VALID" if input.at < input.grant.valid_from

deny contains "GS-PERIOD-ENDED" if input.at >= input.grant.valid_until

deny contains "GS-PURPOSE-ENDED" if input.at >= input.grant.purpose_ended_at

deny contains "GS-GRANT-SUSPENDED" if input.grant.status == "suspended"

deny contains "GS-GRANT-TERMINATED" if input.grant.status == "terminated"

deny contains "GS-DISPOSED" if input.at >= input.grant.disposed_at
