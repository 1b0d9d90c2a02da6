#!/usr/bin/env bash
# contain_read.sh: an image reader (libewf here) that crashes, hangs or
# allocates without bound does not take the scan down (issue 11, item 2).
# The TRAWL_TEST_READ_FAULT hook makes the reader child of laptop.E01 fail
# when it reads media byte 4194305, i.e. in its second 4 MiB chunk.  Each
# time: exit 3; laptop stored with what was read (its FAT hit, attributed to
# /contacts.txt by the file-system stage, which reads on its own) and that chunk
# recorded as unreadable; the stored MD5 no longer matches (the chunk is
# zero-filled); a problems row (stage 'read') and the audit line give the
# reason; the next image of the command (tablet.E01) is read normally and its
# stored hash matches; no process is left behind.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
E=$FIX/e01

CHUNK="4194304-8388607"

# read_failed REASON [trawl scan options...]
read_failed()
{
    local reason=$1
    shift
    newcase
    local start=$SECONDS
    expect_exit 3 "$TRAWL" scan -o "$CASE" --no-link --no-default-stop-list "$@" "$E/laptop.E01" \
        "$E/tablet.E01"
    echo "    scan took $((SECONDS - start)) s"
    contains "$ERR" "laptop.E01: image reader failed: $reason at bytes $CHUNK (zero-filled, recorded)" \
        "the warning names the reason and the range"
    contains "$ERR" "device 'laptop' added, but its integrity check failed" "laptop is added"
    contains "$ERR" "device 'tablet' added to" "the next device is added"
    [ "$(pgrep -f -c "$CASE" || true)" = 0 ] || fail "a process of the scan is left behind"
    ok

    note "laptop: what was read is stored, the rest recorded"
    eq "$(sqlq "$CASE" "SELECT i.unreadable, i.verification FROM images i
        JOIN devices d ON d.id = i.device_id WHERE d.name = 'laptop'")" \
        "[[4194304,4194304]]|mismatch" "the unread chunk, the stored MD5 not matched"
    eq "$(sqlq "$CASE" "SELECT f.path FROM identifiers i JOIN devices d ON d.id = i.device_id
        JOIN files f ON f.id = i.file_id WHERE d.name = 'laptop' AND i.value = 'alice.fat@example.com'")" \
        "/contacts.txt" "a hit before the chunk, attributed to its file"
    eq "$(sqlq "$CASE" "SELECT count(*) FROM identifiers i JOIN devices d ON d.id = i.device_id
        WHERE d.name = 'laptop' AND i.value = 'carol.ext4@example.net'")" 0 \
        "none from the unread chunk (carol.ext4@example.net is at 6606882)"
    eq "$(sqlq "$CASE" "SELECT p.stage || ': ' || p.message FROM problems p
        JOIN devices d ON d.id = p.device_id WHERE d.name = 'laptop' AND p.stage = 'read'")" \
        "read: image reader failed: $reason at bytes $CHUNK of $E/laptop.E01; those bytes are recorded as unreadable, the rest was read by a new reader" \
        "the problems row"
    local line
    line=$(grep '"action":"scan"' "$CASE/audit.log" | grep '"device":"laptop"')
    eq "$(json_get "$line" 'j["outcome"]')" integrity "laptop: audit outcome"
    contains "$(json_get "$line" 'j["detail"]')" "IMAGE READER FAILED: $reason at bytes $CHUNK; MD5 " \
        "laptop: audit detail"
    ok

    note "tablet: read whole, its stored hash matched"
    eq "$(sqlq "$CASE" "SELECT i.unreadable, i.verification, (SELECT count(*) FROM problems p
        WHERE p.device_id = d.id AND p.stage = 'read') FROM images i
        JOIN devices d ON d.id = i.device_id WHERE d.name = 'tablet'")" "[]|match|0" "tablet"
    line=$(grep '"action":"scan"' "$CASE/audit.log" | grep '"device":"tablet"')
    eq "$(json_get "$line" 'j["outcome"]')" ok "tablet: audit outcome"

}

note "laptop.E01 with a reader that crashes in its second chunk, then tablet.E01"
export TRAWL_TEST_READ_FAULT=crash:laptop:4194305
read_failed "killed by SIGSEGV"
note "verify reads laptop whole (no hook) and reports the difference"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$OUT$ERR" "MISMATCH" "laptop's recorded hashes are those of the partial read"

note "a reader that hangs there, --read-timeout 2"
export TRAWL_TEST_READ_FAULT=hang:laptop:4194305
read_failed "timed out after 2 s" --read-timeout 2

note "a reader that allocates there until --read-memory 64 refuses"
export TRAWL_TEST_READ_FAULT=memory:laptop:4194305
if grep -q '^TRAWL_SANITIZE:BOOL=ON' "${TRAWL_BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null; then
    read_failed "exited with status 1" --read-memory 64 # the sanitizers' allocator dies
else
    read_failed "memory limit (64 MiB) reached" --read-memory 64
fi

note "without the hook: both match, exit 0"
unset TRAWL_TEST_READ_FAULT
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --no-default-stop-list "$E/laptop.E01" \
    "$E/tablet.E01"
eq "$(sqlq "$CASE" "SELECT group_concat(verification || ' ' || unreadable, ',') FROM images")" \
    "match [],match []" "both read whole"
eq "$(sqlq "$CASE" "SELECT pos FROM identifiers WHERE value = 'carol.ext4@example.net'")" 6606882 \
    "carol.ext4@example.net read"
eq "$(sqlq "$CASE" "SELECT count(*) FROM problems WHERE stage = 'read'")" 0 "no read problem"

note "option bounds"
expect_exit 2 "$TRAWL" scan -o "$CASE" --read-timeout 0 "$E/laptop.E01"
contains "$ERR" "--read-timeout takes a number of seconds" "--read-timeout 0"
expect_exit 2 "$TRAWL" scan -o "$CASE" --read-memory 10 "$E/laptop.E01"
contains "$ERR" "--read-memory takes a number of MiB" "--read-memory 10"
done_ok
