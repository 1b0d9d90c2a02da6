# bench/lib.sh: helpers shared by the bench scripts (sourced, not run).

# bench_tar_image OUT SIZE: a tar stream of /usr/share/doc, /usr/share/man,
# /usr/include, /usr/bin and /usr/lib (real files: text, man pages, gzip'd
# docs, binaries), in that order so that the first bytes hold docs, man pages
# and headers, not only libraries; cut at SIZE bytes (head -c syntax, e.g.
# 512M, 2G).  Made once: an existing OUT is kept.
bench_tar_image() {
    local out=$1 size=$2
    [[ -f $out ]] && return 0
    echo "making $out (tar of /usr/share/doc, /usr/share/man, /usr/include, /usr/bin, /usr/lib, cut at $size)" >&2
    (set +o pipefail
     tar -cf - /usr/share/doc /usr/share/man /usr/include /usr/bin /usr/lib 2>/dev/null |
         head -c "$size" >"$out.tmp") || true
    mv "$out.tmp" "$out"
}

# bench_driver SRC BUILD: build the scan engine's libraries in BUILD (configured
# from SRC when new) and bench/scan_driver.c against them as BUILD/bench-scan-driver.
# The driver source is this checkout's, so older trees can be driven the same way.
bench_driver() {
    local src=$1 build=$2 here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    if [[ ! -f $build/CMakeCache.txt ]]; then
        cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    cmake --build "$build" --target trawl_scan trawl_evidence trawl_util -j2 >/dev/null
    cc -std=c17 -O2 -D_GNU_SOURCE -I"$src/src" "$here/scan_driver.c" -o "$build/bench-scan-driver" \
        "$build/libtrawl_scan.a" "$build/libtrawl_evidence.a" "$build/libtrawl_util.a" \
        $(pkg-config --libs libhs libpcre2-8 libewf libvmdk libvhdi libqcow libcrypto zlib liblzma) \
        -lphonenumber -lbz2 -lpthread -lstdc++ -lm
}
