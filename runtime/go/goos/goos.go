// Package goos is how Go programs meet each other and reach GoOS itself, beyond what the
// language gives: the kernel's registry of published channels, process ids, exit, and a
// channel that tells when another program ended (DESIGN.md, "Kernel objects").
//
// A published channel keeps Go's semantics across programs: any program that looks it
// up may send and receive on it, and values sent through it change owner without a copy.
// Lookup answers with this program's own type for the channel, matched by the type's
// structure (never by name alone), so that `goos.Lookup("keyboard").(chan chan byte)`
// works when both programs declare the same type, and panics, naming the channel's type,
// when this program declares none like it.
package goos

// Error is the error type of this package.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// ErrNameTaken is returned by Publish when another channel is published under the name.
var ErrNameTaken = &Error{"goos: name already published"}

// The kernel's statuses this package distinguishes (kernel/abi.h).
const (
	statusNameTaken  = -7
	statusNotFound   = -8
	statusTimedOut   = -9
	statusBadSize    = -4
	statusNotChannel = -1000 // from publish: the value is not a channel
)

// Publish makes ch, which must be a channel, known to every program under name, until
// this program ends. Names are 1 to 63 bytes.
func Publish(name string, ch interface{}) error {
	switch r := publish(name, ch); r {
	case 0:
		return nil
	case statusNameTaken:
		return ErrNameTaken
	case statusNotChannel:
		return &Error{"goos: Publish(\"" + name + "\"): the value is not a channel"}
	case statusBadSize:
		return &Error{"goos: Publish(\"" + name + "\"): names are 1 to 63 bytes"}
	default:
		return &Error{"goos: Publish(\"" + name + "\"): " + statusText(r)}
	}
}

// Lookup returns the channel published under name, waiting until some program publishes
// it. Its dynamic type is this program's own type for the channel.
func Lookup(name string) interface{} {
	var v interface{}
	if r := lookup(name, -1, &v); r != 0 {
		lookupPanic(name, r)
	}
	return v
}

// LookupTimeout is Lookup that gives up after timeout nanoseconds (0: do not wait); ok
// is false when the name was not published in time.
func LookupTimeout(name string, timeout int64) (ch interface{}, ok bool) {
	if timeout < 0 {
		timeout = 0
	}
	var v interface{}
	switch r := lookup(name, timeout, &v); r {
	case 0:
		return v, true
	case statusNotFound, statusTimedOut:
		return nil, false
	default:
		lookupPanic(name, r)
	}
	return nil, false
}

func lookupPanic(name string, r int64) {
	panic("goos: Lookup(\"" + name + "\"): " + statusText(r))
}

// Watch returns a channel that is closed when the process pid ends (at once when it has
// already ended or never existed).
func Watch(pid int) <-chan struct{} { return watch(pid) }

// Exit ends this program at once with the status code; other programs run on.
func Exit(code int) { exit(code) }

// Pid is this program's process id.
func Pid() int { return int(getpid()) }

// Charged is what this program's budget is charged with, in bytes: its own pages that no
// other program holds, an even share of each page it holds with other programs (whoever
// made it), and the kernel memory its channels and messages take.
func Charged() int64 { return charged() }

// ReadConsole waits for input on the console (the terminal on goos-sim, the keyboard and
// serial port on x86-64) and reads up to len(p) bytes of it into p. It returns 0 when the
// input has ended. A keyboard driver program is its one reader.
func ReadConsole(p []byte) int { return int(readConsole(p)) }

// Yield lets other goroutines run.
func Yield() { yield() }

// Implemented by the runtime (runtime/goos.cpp).
func publish(name string, ch interface{}) int64
func lookup(name string, timeout int64, out *interface{}) int64
func watch(pid int) chan struct{}
func exit(code int)
func statusText(status int64) string
func readConsole(p []byte) int64

//extern goos_rt_yield
func yield()

//extern goos_rt_getpid
func getpid() int64

//extern goos_rt_charged
func charged() int64
