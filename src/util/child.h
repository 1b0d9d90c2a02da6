/* child.h: what a forked child that runs other people's parsers (the
 * file-system stage, the image readers) does to itself before it starts. */
#ifndef TRAWL_UTIL_CHILD_H
#define TRAWL_UTIL_CHILD_H

/* Let the calling process map mib MiB more than it has mapped now (what it
 * inherited, the sanitizers' reservations included), by RLIMIT_AS: an
 * allocation past that fails instead of taking the machine's memory.  Also
 * turns core files off: a crash there leaves none. */
void child_limit_memory(unsigned mib);

#endif
