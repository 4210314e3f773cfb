// The constant libgo's build generates for amd64 (its cpugen.go): the cache line size
// that CacheLinePad pads to.
package cpu

const CacheLinePadSize = 64
