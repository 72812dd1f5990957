package resource

import "runtime"

// MaxThreads caps every thread count (--threads=100000 gets this many at
// most). Workers that read or write files block in system calls, each on
// its own OS thread, and Go aborts a program past 10000 of them; no machine
// this runs on makes use of more.
const MaxThreads = 1024

// Threads resolves a requested thread count: 0 or less means one per CPU,
// and no count goes above MaxThreads.
func Threads(n int) int {
	if n <= 0 {
		n = runtime.NumCPU()
	}
	return max(1, min(n, MaxThreads))
}

// memBudget is the memory a worker pool may take: half of RAM. A variable
// so that tests can pretend to have less.
var memBudget = func() int64 {
	ram := totalRAM()
	if ram == 0 {
		return 4 << 30
	}
	return int64(ram / 2)
}

// fitThreads lowers threads until perThread bytes for each fit in budget;
// never below one.
func fitThreads(threads int, perThread, budget int64) int {
	if perThread > 0 {
		threads = int(min(int64(threads), budget/perThread))
	}
	return max(threads, 1)
}

// poolThreads is the number of workers for a pool (plain, chunk pipeline or
// solid) whose workers each need perThread bytes: Options.Threads, capped,
// fitted to memory as wimlib fits its compressor threads, and no more than
// jobs when jobs > 0 (a pool knowing its work needs no idle workers). Every
// pool sizes itself with it before allocating anything per thread.
func (w *Writer) poolThreads(perThread, jobs int64) int {
	n := fitThreads(Threads(w.opts.Threads), perThread, memBudget())
	if jobs > 0 {
		n = int(min(int64(n), jobs))
	}
	w.workers = n
	return n
}
