// package time over GoOS's clock: Sleep, Now/Since/Until and Time arithmetic, After,
// timers (Stop, Reset, AfterFunc) and tickers. Timing output is only ever "at least as
// long as asked", so it is the same under any load and in deterministic mode.
package main

import "time"

const ms = time.Millisecond

func main() {
	t0 := time.Now()
	time.Sleep(20 * ms)
	el := time.Since(t0)
	println("slept at least 20ms:", el >= 20*ms)
	time.Sleep(0)
	time.Sleep(-5)
	t1 := time.Now()
	println("now after start:", t1.After(t0), t0.Before(t1), !t1.Before(t0), t1.Sub(t0) >= 20*ms)

	// Arithmetic on instants.
	t2 := t0.Add(time.Second)
	println("add/sub:", t2.Sub(t0).String(), t0.Sub(t2).String(), t2.Equal(t0.Add(1000*ms)), t2 == t0.Add(time.Second))
	println("until future positive:", time.Until(time.Now().Add(time.Hour)) > 59*time.Minute)
	println("unixnano:", t2.UnixNano()-t0.UnixNano(), time.Unix(3, 5).UnixNano(), time.Unix(3, 5).Unix())
	var zero time.Time
	println("zero:", zero.IsZero(), t0.IsZero())

	// After, and a select with a timeout.
	s := time.Now()
	v := <-time.After(10 * ms)
	println("after delivered a later time:", !v.Before(s), v.Sub(s) >= 10*ms, time.Since(s) >= 10*ms)
	never := make(chan int)
	select {
	case <-never:
		println("impossible")
	case <-time.After(5 * ms):
		println("timeout")
	}

	// A timer stopped before it fires never sends; Stop reports it was active.
	tm := time.NewTimer(50 * ms)
	println("stop active:", tm.Stop(), "stop again:", tm.Stop())
	select {
	case <-tm.C:
		println("stopped timer fired")
	case <-time.After(100 * ms):
		println("stopped timer stayed silent")
	}
	// A fired timer: Stop says false; Reset starts it again.
	tm2 := time.NewTimer(ms)
	<-tm2.C
	println("stop fired:", tm2.Stop())
	println("reset inactive:", tm2.Reset(5*ms))
	<-tm2.C
	println("reset timer fired")
	// Reset of an active timer pushes its deadline out and reports true.
	tm3 := time.NewTimer(time.Hour)
	s = time.Now()
	println("reset active:", tm3.Reset(10*ms))
	<-tm3.C
	println("reset fired no earlier than asked:", time.Since(s) >= 10*ms)

	// AfterFunc runs its function in its own goroutine; a stopped one never runs.
	done := make(chan string, 2)
	time.AfterFunc(5*ms, func() { done <- "afterfunc ran" })
	af := time.AfterFunc(20*ms, func() { done <- "stopped afterfunc ran" })
	println("afterfunc stop:", af.Stop())
	println(<-done)
	time.Sleep(40 * ms)
	select {
	case m := <-done:
		println(m)
	default:
		println("stopped afterfunc stayed silent")
	}

	// A ticker ticks repeatedly, each tick at least a period after the start.
	tk := time.NewTicker(5 * ms)
	s = time.Now()
	for i := 1; i <= 4; i++ {
		<-tk.C
		println("tick", i, time.Since(s) >= time.Duration(i)*5*ms)
	}
	tk.Stop()
	time.Sleep(20 * ms)
	select {
	case <-tk.C:
		// At most one tick may have been buffered before Stop.
	default:
	}
	select {
	case <-tk.C:
		println("stopped ticker ticked")
	case <-time.After(30 * ms):
		println("stopped ticker stayed silent")
	}
	tk.Reset(2 * ms)
	<-tk.C
	println("reset ticker ticked")
	tk.Stop()
	c := time.Tick(3 * ms)
	<-c
	<-c
	println("tick channel ticked twice", time.Tick(0) == nil)
}
