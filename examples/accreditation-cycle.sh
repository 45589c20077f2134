#!/usr/bin/env bash
# One accreditation, scripted with the command line as a body would script it: the demo
# accounts of `qa-engine users seed-demo` take every step (the web workspace's pages and
# API call the same services). `make demo` runs it; run it yourself as
#   examples/accreditation-cycle.sh STORE KEYS_DIR STATUS_DIR OUT_DIR [QA_ENGINE]
# over a store that has the demo accounts.
set -euo pipefail
db=$1 keys=$2 status=$3 out=$4 qa=${5:-qa-engine}
here=$(cd "$(dirname "$0")" && pwd)
export QA_ENGINE_DB=$db
provider=provider@demo-campus.example coord=coordinator@demo-agency.example
chair=chair@demo-agency.example member=reviewer@demo-agency.example external=external@peer-university.example
number() { sed -n "s/^$1 \([0-9][0-9]*\).*/\1/p" | head -1; }

step() { printf '\n-- %s\n' "$*"; }
step "the provider submits its dossier (self-checked at once, as of 2026-01-01 like the rest of the demo)"
case_id=$("$qa" submissions add "$here/dossiers/bootcamp-web-dev.yaml" --as-of 2026-01-01 --submit --as "$provider" \
          | tee /dev/stderr | number submission)
step "the coordinator accepts it for review and forms a panel of three under qa-starter's review policy"
"$qa" submissions screen "$case_id" accept --as "$coord"
panel=$("$qa" panel form "$case_id" --chair "$chair" --member "$member" --member "$external" \
        --subject-matter "$member" --as "$coord" | tee /dev/stderr | number panel)
step "each member declares no conflict of interest, then reviews independently (one disagrees)"
for who in "$chair" "$member" "$external"; do "$qa" panel declare "$panel" --no-conflict --as "$who"; done
"$qa" panel review "$panel" --judge 'ST-AS-01=not_met:LO4 (agile teamwork) has no assessment mapped to it' \
    --comment 'A sound bootcamp; one of its four outcomes is not assessed.' --submit --as "$chair"
"$qa" panel review "$panel" --submit --as "$member"
"$qa" panel review "$panel" --judge 'ST-AS-02=partially_met:the weights add up to 90%; only one assessment lacks its share' \
    --submit --as "$external"
step "consolidation: the unanimity rule of an essential criterion leaves ST-AS-01 to the chair"
"$qa" panel consolidate "$panel" --as "$coord"
"$qa" panel resolve "$panel" ST-AS-01 --state not_met --reason 'one of the four outcomes, LO4, is not assessed' --as "$chair"
step "the decision: accredited with one condition (due by the policy's amendment window)"
decision=$("$qa" decide "$panel" --outcome accredited_with_conditions \
           --rationale 'A sound bootcamp with one gap: LO4 is not assessed. Accredited on condition that every outcome is.' \
           --condition 'ST-AS-01:Assess every learning outcome, LO4 included.' --as "$coord" | tee /dev/stderr | number decision)
"$qa" letter "$decision" --as "$coord" -o "$out/decision-letter.pdf"
echo "decision letter: $out/decision-letter.pdf"
"$qa" due --within 13m --as "$coord"
step "the provider answers the condition with an amended dossier; exactly ST-AS-01 is re-checked"
"$qa" amend "$decision" "$here/amendments/bootcamp-web-dev-amended.yaml" --as "$provider"
"$qa" condition close "$decision" C1 --as "$coord"
"$qa" due --within 13m --as "$coord"
step "publication: the decision signed as a verifiable credential, verified offline, in the register"
"$qa" decisions publish "$decision" --keys "$keys" --status-dir "$status" --as "$coord" -o "$out/published.vc.json"
"$qa" keys public --keys "$keys" -o "$out/published-did.json"
"$qa" verify "$out/published.vc.json" --key "$out/published-did.json" \
    --status-list "$status/revocation.json" --status-list "$status/suspension.json"
"$qa" audit verify
step "a second submission waits in the coordinator's queue, for you to take through the pages"
"$qa" submissions add "$here/dossiers/uni-data-analytics.yaml" --as-of 2026-01-01 --submit --as "$provider"
echo "SUBMISSION=$case_id DECISION=$decision" > "$out/cycle.env"
