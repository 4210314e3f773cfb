package sync

// semaCap is how many wake-ups a semaphore's channel buffers: one kernel page of slots.
// A release beyond it waits for a waiter to take one, which every caller here tolerates:
// each wake-up it sends has a goroutine committed to receiving it.
const semaCap = 256

// A sema is a counting semaphore whose waiters block in the kernel (they use no CPU while
// they wait): its count is the number of wake-ups buffered in a kernel channel, which is
// made on first use so that the zero value is ready. The primitives of this package are
// built, as Go's are, on atomic counters that decide who must wait, plus a sema for the
// waiting itself. The channel is an ordinary Go channel held by the sema.
type sema struct {
	state int32 // semaNone, semaMaking or semaReady
	ch    chan struct{}
}

const (
	semaNone = iota
	semaMaking
	semaReady
)

// channel returns s's channel, making it if no goroutine has.
func (s *sema) channel() chan struct{} {
	for {
		switch load32(&s.state) {
		case semaReady:
			return s.ch
		case semaNone:
			if cas32(&s.state, semaNone, semaMaking) {
				s.ch = make(chan struct{}, semaCap)
				store32(&s.state, semaReady)
				return s.ch
			}
		default:
			// Another goroutine is making the channel: a few instructions away.
			yield()
		}
	}
}

// acquire waits for a wake-up and takes it.
func (s *sema) acquire() {
	<-s.channel()
}

// release adds one wake-up, waking one waiter if any.
func (s *sema) release() {
	s.channel() <- struct{}{}
}
