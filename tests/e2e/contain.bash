# contain.bash: checks shared by the crash-containment tests (contain_*.sh;
# issue 11, item 2).  Sourced after lib.sh; not a test itself.
#
# contain_scan IMAGE VALUE REASON [trawl scan options...]: scan IMAGE (a device
# whose file-system stage fails with REASON) and the FAT fixture fs/fat.img
# in one command, then check: exit 3; IMAGE's device stored with its raw
# hits (trawl find finds VALUE on it), none attributed to a file, no file or
# volume kept from the failed child; a problems row (stage 'fs') and the
# device's audit line (outcome integrity) giving REASON; fat.img scanned
# normally (its files listed, its planted hit attributed to /live.txt).
contain_scan()
{
    local img=$1 value=$2 reason=$3
    shift 3
    local dev
    dev=$(basename "$img")
    dev=${dev%%.*}
    newcase
    local start=$SECONDS
    expect_exit 3 "$TRAWL" scan -o "$CASE" --no-link "$@" "$img" "$TRAWL_FIXTURES/fs/fat.img"
    echo "    scan took $((SECONDS - start)) s"
    contains "$ERR" "$dev: file-system stage failed: $reason" "the warning names the reason"
    contains "$ERR" "device '$dev' added, but its file-system stage failed" "$dev is added"
    contains "$ERR" "device 'fat' added" "the next device is added"

    note "$dev: stored with its raw hits, unattributed"
    expect_exit 0 "$TRAWL" find "$CASE" "$value"
    eq "$(printf '%s\n' "$OUT" | awk -F'\t' -v d="$dev" '$1 == d' | wc -l)" 1 "$value found on $dev"
    eq "$(sqlq "$CASE" "SELECT count(*), count(i.file_id), count(i.area) FROM identifiers i
        JOIN devices d ON d.id = i.device_id WHERE d.name = '$dev' AND i.value = '$value'")" \
        "1|0|0" "$value: one row, no file, no area"
    eq "$(sqlq "$CASE" "SELECT (SELECT count(*) FROM files f JOIN devices d ON d.id = f.device_id
        WHERE d.name = '$dev'), (SELECT count(*) FROM volumes v JOIN devices d
        ON d.id = v.device_id WHERE d.name = '$dev')")" "0|0" "nothing of the failed child is kept"
    [ -f "$CASE/devices/$dev/email.txt" ] || fail "$dev: no feature file"
    ok

    note "$dev: the failure is recorded"
    eq "$(sqlq "$CASE" "SELECT p.stage || ': ' || p.message FROM problems p
        JOIN devices d ON d.id = p.device_id WHERE d.name = '$dev'")" \
        "fs: file-system stage failed: $reason; nothing it found is kept, the raw scan's hits are not attributed to files" \
        "$dev: the problems row"
    local line
    line=$(grep '"action":"scan"' "$CASE/audit.log" | grep "\"device\":\"$dev\"")
    eq "$(json_get "$line" 'j["outcome"]')" integrity "$dev: audit outcome"
    contains "$(json_get "$line" 'j["detail"]')" "FS STAGE FAILED: $reason (hits not attributed to files)" \
        "$dev: audit detail"
    expect_exit 0 "$TRAWL" verify "$CASE"

    note "fat.img: scanned normally after it"
    eq "$(sqlq "$CASE" "SELECT count(*) FROM problems p JOIN devices d ON d.id = p.device_id
        WHERE d.name = 'fat' AND p.message LIKE 'file-system stage failed%'")" 0 "fat: no failure"
    eq "$(sqlq "$CASE" "SELECT f.path FROM identifiers i JOIN devices d ON d.id = i.device_id
        JOIN files f ON f.id = i.file_id WHERE d.name = 'fat' AND i.value = 'alice.live@trawl-test.org'")" \
        "/live.txt" "fat: the planted hit attributed to its file"
    line=$(grep '"action":"scan"' "$CASE/audit.log" | grep '"device":"fat"')
    eq "$(json_get "$line" 'j["outcome"]')" ok "fat: audit outcome"
}
