// A select with 140 cases, 70 of them sends of values holding pointers (Go allows 65,536
// cases; GoOS once refused more than 128, and more than four such sends).
package main

type node struct {
	v    int
	next *node
}

func pick(out []chan *node, in []chan *node, nodes []*node) (string, int) {
	select {
	case out[0] <- nodes[0]:
		return "sent", 0
	case out[1] <- nodes[1]:
		return "sent", 1
	case out[2] <- nodes[2]:
		return "sent", 2
	case out[3] <- nodes[3]:
		return "sent", 3
	case out[4] <- nodes[4]:
		return "sent", 4
	case out[5] <- nodes[5]:
		return "sent", 5
	case out[6] <- nodes[6]:
		return "sent", 6
	case out[7] <- nodes[7]:
		return "sent", 7
	case out[8] <- nodes[8]:
		return "sent", 8
	case out[9] <- nodes[9]:
		return "sent", 9
	case out[10] <- nodes[10]:
		return "sent", 10
	case out[11] <- nodes[11]:
		return "sent", 11
	case out[12] <- nodes[12]:
		return "sent", 12
	case out[13] <- nodes[13]:
		return "sent", 13
	case out[14] <- nodes[14]:
		return "sent", 14
	case out[15] <- nodes[15]:
		return "sent", 15
	case out[16] <- nodes[16]:
		return "sent", 16
	case out[17] <- nodes[17]:
		return "sent", 17
	case out[18] <- nodes[18]:
		return "sent", 18
	case out[19] <- nodes[19]:
		return "sent", 19
	case out[20] <- nodes[20]:
		return "sent", 20
	case out[21] <- nodes[21]:
		return "sent", 21
	case out[22] <- nodes[22]:
		return "sent", 22
	case out[23] <- nodes[23]:
		return "sent", 23
	case out[24] <- nodes[24]:
		return "sent", 24
	case out[25] <- nodes[25]:
		return "sent", 25
	case out[26] <- nodes[26]:
		return "sent", 26
	case out[27] <- nodes[27]:
		return "sent", 27
	case out[28] <- nodes[28]:
		return "sent", 28
	case out[29] <- nodes[29]:
		return "sent", 29
	case out[30] <- nodes[30]:
		return "sent", 30
	case out[31] <- nodes[31]:
		return "sent", 31
	case out[32] <- nodes[32]:
		return "sent", 32
	case out[33] <- nodes[33]:
		return "sent", 33
	case out[34] <- nodes[34]:
		return "sent", 34
	case out[35] <- nodes[35]:
		return "sent", 35
	case out[36] <- nodes[36]:
		return "sent", 36
	case out[37] <- nodes[37]:
		return "sent", 37
	case out[38] <- nodes[38]:
		return "sent", 38
	case out[39] <- nodes[39]:
		return "sent", 39
	case out[40] <- nodes[40]:
		return "sent", 40
	case out[41] <- nodes[41]:
		return "sent", 41
	case out[42] <- nodes[42]:
		return "sent", 42
	case out[43] <- nodes[43]:
		return "sent", 43
	case out[44] <- nodes[44]:
		return "sent", 44
	case out[45] <- nodes[45]:
		return "sent", 45
	case out[46] <- nodes[46]:
		return "sent", 46
	case out[47] <- nodes[47]:
		return "sent", 47
	case out[48] <- nodes[48]:
		return "sent", 48
	case out[49] <- nodes[49]:
		return "sent", 49
	case out[50] <- nodes[50]:
		return "sent", 50
	case out[51] <- nodes[51]:
		return "sent", 51
	case out[52] <- nodes[52]:
		return "sent", 52
	case out[53] <- nodes[53]:
		return "sent", 53
	case out[54] <- nodes[54]:
		return "sent", 54
	case out[55] <- nodes[55]:
		return "sent", 55
	case out[56] <- nodes[56]:
		return "sent", 56
	case out[57] <- nodes[57]:
		return "sent", 57
	case out[58] <- nodes[58]:
		return "sent", 58
	case out[59] <- nodes[59]:
		return "sent", 59
	case out[60] <- nodes[60]:
		return "sent", 60
	case out[61] <- nodes[61]:
		return "sent", 61
	case out[62] <- nodes[62]:
		return "sent", 62
	case out[63] <- nodes[63]:
		return "sent", 63
	case out[64] <- nodes[64]:
		return "sent", 64
	case out[65] <- nodes[65]:
		return "sent", 65
	case out[66] <- nodes[66]:
		return "sent", 66
	case out[67] <- nodes[67]:
		return "sent", 67
	case out[68] <- nodes[68]:
		return "sent", 68
	case out[69] <- nodes[69]:
		return "sent", 69
	case n := <-in[0]:
		return "received", 0*1000 + n.v + n.next.v
	case n := <-in[1]:
		return "received", 1*1000 + n.v + n.next.v
	case n := <-in[2]:
		return "received", 2*1000 + n.v + n.next.v
	case n := <-in[3]:
		return "received", 3*1000 + n.v + n.next.v
	case n := <-in[4]:
		return "received", 4*1000 + n.v + n.next.v
	case n := <-in[5]:
		return "received", 5*1000 + n.v + n.next.v
	case n := <-in[6]:
		return "received", 6*1000 + n.v + n.next.v
	case n := <-in[7]:
		return "received", 7*1000 + n.v + n.next.v
	case n := <-in[8]:
		return "received", 8*1000 + n.v + n.next.v
	case n := <-in[9]:
		return "received", 9*1000 + n.v + n.next.v
	case n := <-in[10]:
		return "received", 10*1000 + n.v + n.next.v
	case n := <-in[11]:
		return "received", 11*1000 + n.v + n.next.v
	case n := <-in[12]:
		return "received", 12*1000 + n.v + n.next.v
	case n := <-in[13]:
		return "received", 13*1000 + n.v + n.next.v
	case n := <-in[14]:
		return "received", 14*1000 + n.v + n.next.v
	case n := <-in[15]:
		return "received", 15*1000 + n.v + n.next.v
	case n := <-in[16]:
		return "received", 16*1000 + n.v + n.next.v
	case n := <-in[17]:
		return "received", 17*1000 + n.v + n.next.v
	case n := <-in[18]:
		return "received", 18*1000 + n.v + n.next.v
	case n := <-in[19]:
		return "received", 19*1000 + n.v + n.next.v
	case n := <-in[20]:
		return "received", 20*1000 + n.v + n.next.v
	case n := <-in[21]:
		return "received", 21*1000 + n.v + n.next.v
	case n := <-in[22]:
		return "received", 22*1000 + n.v + n.next.v
	case n := <-in[23]:
		return "received", 23*1000 + n.v + n.next.v
	case n := <-in[24]:
		return "received", 24*1000 + n.v + n.next.v
	case n := <-in[25]:
		return "received", 25*1000 + n.v + n.next.v
	case n := <-in[26]:
		return "received", 26*1000 + n.v + n.next.v
	case n := <-in[27]:
		return "received", 27*1000 + n.v + n.next.v
	case n := <-in[28]:
		return "received", 28*1000 + n.v + n.next.v
	case n := <-in[29]:
		return "received", 29*1000 + n.v + n.next.v
	case n := <-in[30]:
		return "received", 30*1000 + n.v + n.next.v
	case n := <-in[31]:
		return "received", 31*1000 + n.v + n.next.v
	case n := <-in[32]:
		return "received", 32*1000 + n.v + n.next.v
	case n := <-in[33]:
		return "received", 33*1000 + n.v + n.next.v
	case n := <-in[34]:
		return "received", 34*1000 + n.v + n.next.v
	case n := <-in[35]:
		return "received", 35*1000 + n.v + n.next.v
	case n := <-in[36]:
		return "received", 36*1000 + n.v + n.next.v
	case n := <-in[37]:
		return "received", 37*1000 + n.v + n.next.v
	case n := <-in[38]:
		return "received", 38*1000 + n.v + n.next.v
	case n := <-in[39]:
		return "received", 39*1000 + n.v + n.next.v
	case n := <-in[40]:
		return "received", 40*1000 + n.v + n.next.v
	case n := <-in[41]:
		return "received", 41*1000 + n.v + n.next.v
	case n := <-in[42]:
		return "received", 42*1000 + n.v + n.next.v
	case n := <-in[43]:
		return "received", 43*1000 + n.v + n.next.v
	case n := <-in[44]:
		return "received", 44*1000 + n.v + n.next.v
	case n := <-in[45]:
		return "received", 45*1000 + n.v + n.next.v
	case n := <-in[46]:
		return "received", 46*1000 + n.v + n.next.v
	case n := <-in[47]:
		return "received", 47*1000 + n.v + n.next.v
	case n := <-in[48]:
		return "received", 48*1000 + n.v + n.next.v
	case n := <-in[49]:
		return "received", 49*1000 + n.v + n.next.v
	case n := <-in[50]:
		return "received", 50*1000 + n.v + n.next.v
	case n := <-in[51]:
		return "received", 51*1000 + n.v + n.next.v
	case n := <-in[52]:
		return "received", 52*1000 + n.v + n.next.v
	case n := <-in[53]:
		return "received", 53*1000 + n.v + n.next.v
	case n := <-in[54]:
		return "received", 54*1000 + n.v + n.next.v
	case n := <-in[55]:
		return "received", 55*1000 + n.v + n.next.v
	case n := <-in[56]:
		return "received", 56*1000 + n.v + n.next.v
	case n := <-in[57]:
		return "received", 57*1000 + n.v + n.next.v
	case n := <-in[58]:
		return "received", 58*1000 + n.v + n.next.v
	case n := <-in[59]:
		return "received", 59*1000 + n.v + n.next.v
	case n := <-in[60]:
		return "received", 60*1000 + n.v + n.next.v
	case n := <-in[61]:
		return "received", 61*1000 + n.v + n.next.v
	case n := <-in[62]:
		return "received", 62*1000 + n.v + n.next.v
	case n := <-in[63]:
		return "received", 63*1000 + n.v + n.next.v
	case n := <-in[64]:
		return "received", 64*1000 + n.v + n.next.v
	case n := <-in[65]:
		return "received", 65*1000 + n.v + n.next.v
	case n := <-in[66]:
		return "received", 66*1000 + n.v + n.next.v
	case n := <-in[67]:
		return "received", 67*1000 + n.v + n.next.v
	case n := <-in[68]:
		return "received", 68*1000 + n.v + n.next.v
	case n := <-in[69]:
		return "received", 69*1000 + n.v + n.next.v
	}
}

func main() {
	out := make([]chan *node, 70)
	in := make([]chan *node, 70)
	nodes := make([]*node, 70)
	for i := range out {
		out[i] = make(chan *node, 1)
		out[i] <- &node{v: -1} // full: not ready
		in[i] = make(chan *node)
		nodes[i] = &node{v: i, next: &node{v: 100 * i}}
	}
	// Only one send case is ready.
	<-out[37]
	what, i := pick(out, in, nodes)
	println(what, i)
	got := <-out[37]
	println("out[37] holds node", got.v, got.next.v)
	// None is ready: the select waits until another goroutine sends on in[61].
	out[37] <- &node{v: -1}
	go func() { in[61] <- &node{v: 5, next: &node{v: 7}} }()
	what, i = pick(out, in, nodes)
	println(what, i)
	// Ready sends all over: the pick is random, and exactly one value moves.
	for j := 0; j < 70; j += 2 {
		<-out[j]
	}
	what, i = pick(out, in, nodes)
	moved := 0
	for j := 0; j < 70; j += 2 {
		select {
		case n := <-out[j]:
			if n != nodes[j] || n.next.v != 100*j {
				println("wrong value in out", j)
			}
			moved++
		default:
		}
	}
	println(what, i%2 == 0, moved)
}
