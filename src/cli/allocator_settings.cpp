// jemalloc's options for the nongsan binary, which links jemalloc (CMakeLists.txt), and
// for the benchmarks that time the product's code in their own process (overlap_bench).
// jemalloc reads the global `malloc_conf` of the program once, when it starts (before
// main); the MALLOC_CONF environment variable, read after it, still overrides each
// option (MALLOC_CONF=thp:default gives jemalloc's own default back).
//
// thp:always — jemalloc asks the kernel for transparent huge pages (madvise) on the
// memory it maps, and metadata_thp:always on its own bookkeeping. Debian's kernel gives
// huge pages only to memory asked for that way ("madvise" in
// /sys/kernel/mm/transparent_hugepage/enabled). A province's check of claims takes
// 0.76 GB in a few seconds: in 4 KiB pages, 490,000 page faults and as many TLB
// misses later; in 2 MiB pages, 37,000 faults. In alternate runs of `nongsan check
// claims` on the bench's province (eight with huge pages, six without) it took 13.0 s
// against 15.8 s at the median, its own CPU 10.8 s against 13.5 s, for 0.06 GB more
// resident memory (bench/README.md, support cross-checks); an idle server holds about
// 12 MB more. A kernel without transparent huge pages ("never") ignores it.
extern "C" {
[[gnu::used]] const char* malloc_conf = "thp:always,metadata_thp:always";
}
