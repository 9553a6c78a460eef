# SPDX-License-Identifier: ISC
# e2e-races.sh - the races of THREATS.md (8, 9, 13, 27, 45), each run for $RACE
# seconds; sourced by e2e.sh after e2e-setup.sh, once for each $MODE.
# Each reports how many requests ran and how many escaped (none may).

race_client() { native_client $((RACE + 60)) "$@"; }
# The figures of a race, whatever its outcome.
figures() { echo "#   $got"; }
write_policy
cd "$D" || exit 1

# --- 8, 9, 13, 27, 45: races, each for $RACE seconds ------------------------------------------------
as_nobody mkdir -p "$D/userdir/race"
check "13: a racer swaps a directory and a file with symlinks to secrets: no escape" \
	"*[1-9]* public, [1-9]* refused, 0 other, 0 escapes" \
	race_client race-flip "$D/userdir/race" "$D/secret" "$RACE"
figures
if [ "$MODE" = broker ]; then
	skip "[$MODE] 8: the helper stopped mid-request: not through the broker: it spawns the helper itself"
else
	check "8: the helper stopped at random points while the component is swapped: no escape" \
		"*[1-9]* public, [1-9]* refused, 0 other, 0 escapes" \
		race_client race-stop "$H" "$D/userdir/race" "$D/secret" "$RACE"
	figures
fi
printf 0123456789 > "$D/rw/file"
check "9: helpers killed at random points of truncate and create requests: no hang" \
	"* calls, [1-9]* helpers killed, * answered EIO, 0 wrong, 0 zombies" \
	race_client race-kill "$D" "$RACE" "$(through_broker "$BPID" 0)"
figures
check "9: ... the write grant without truncate never truncated" "10" fstat %s "$D/rw/file"
check "9: ... nothing created where create is not granted" "absent" \
	sh -c "test -e '$D/ro/newfile' || echo absent"

# unrecorded: how many files race-record created in drop/ and emptied in
# trunc/, and how many of them have no allow record.
unrecorded() {
	{
		# Syslog's records, and the audit file's: a worker made before
		# syslog listened writes there until it tries syslog again.
		log_records
		cat "$AUDIT"
		echo "-- files"
		find "$D/drop" -name 'openfile-test-slow-*' -printf 'create %p\n'
		find "$D/trunc" -name 'openfile-test-slow-*' -size 0 -printf 'truncate %p\n'
	} | LC_ALL=C awk '
	$0 == "-- files" { files = 1; next }
	!files && / allow: / && match($0, / real=[^ ]* flags=[^ ]*/) {
		split(substr($0, RSTART + 6, RLENGTH - 6), f, " flags=")
		if (f[2] ~ /O_CREAT/) done["create " f[1]] = 1
		if (f[2] ~ /O_TRUNC/) done["truncate " f[1]] = 1
	}
	files { n[$1]++; if (!($0 in done)) missing++ }
	END {
		printf "%d created, %d truncated, %d without a record\n",
			n["create"], n["truncate"], missing
	}'
}
# Each its own file to empty: the race stops when they are all used.
n=$((RACE * 300))
i=0
while [ $i -lt $n ]; do
	printf x > "$D/trunc/openfile-test-slow-$i"
	i=$((i + 1))
done
if ! log_start "$P/race.log"; then
	skip "[$MODE] 45: no python3 to receive the records"
else
	check "45: helpers killed at random points of granted creates and truncates: no hang" \
		"* requests, [1-9]* killed, * answered EIO, 0 wrong, 0 zombies" \
		race_client race-record "$D/drop" "$D/trunc" $n "$RACE" "$(through_broker "$BPID" 0)"
	figures
	log_stop
	check "45: ... every file created or emptied has its record" \
		"[1-9]* created, [1-9]* truncated, 0 without a record" unrecorded
	figures
fi

mk 0700 pol
policy_version() { # policy_version MODE FIRST: the grant first or last
	[ "$2" = first ] && echo "allow * write,create $D/pol/* mode=$1"
	i=0
	while [ $i -lt 3000 ]; do
		echo "deny user root read /filler/$i/*.padding-to-make-the-file-long"
		i=$((i + 1))
	done
	[ "$2" = last ] && echo "allow * write,create $D/pol/* mode=$1"
}
policy_version 0600 first > "$P/policy.old"
policy_version 0640 last > "$P/policy.new"
cp "$P/policy.old" "$POL"
policy_changed
(end=$(($(date +%s) + RACE))
while [ "$(date +%s)" -lt $end ]; do
	for v in old new; do
		cp "$P/policy.$v" "$POL.tmp" && mv "$POL.tmp" "$POL"
		compile_policy
	done
done) &
swapper=$!
# Between a change and its compile the policy is stale: refused then.
check "27: the policy replaced while requests run: each decision is the old or the new policy's" \
	"* creates: [1-9]* old, [1-9]* new, 0 other, * refused*" \
	race_client create-loop "$D/pol" "$RACE"
figures
wait $swapper
printf 'allow * write,create %s/pol/* mode=0600\nallow * wri' "$D" > "$POL"
policy_changed
check "27: a policy left truncated mid-rule denies everything" "err EACCES" \
	client open "$D/pol/late" w,creat
write_policy
