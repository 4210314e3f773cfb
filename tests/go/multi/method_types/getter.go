// Two programs give one structural type, Box, methods Get of different result types. A
// Getter made in this program and called in the other runs the other's method of that
// identity (type, name, method type), which it does not have: it panics naming the type and
// the method; this program's own call of it runs its own Get.
package main

import "goos"

type Getter interface{ Get() int }

type Box struct{ V int }

func (b Box) Get() int { return b.V }

func main() {
	getters := goos.Lookup("getters").(chan Getter)
	var g Getter = Box{41}
	println("getter: my Get gives", g.Get())
	getters <- g
}
