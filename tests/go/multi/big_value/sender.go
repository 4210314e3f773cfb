// Values larger than 16 MiB, made and sent as Go allows (before, no object over 16 MiB could
// be made at all, and no send could name more than 4,096 pages): a 24 MiB []byte and 2,100
// slices of 8 KiB in a [][]byte, handed to another program that reads them after the sender
// ended and a third program filled what the pool had with 'U'. Each send reaches more
// pages than one description keeps, so its walk streams them to the kernel (abi.h,
// GOOS_TRANSFER_STREAMED); a commit that left out what was streamed would let the sender's
// end free those pages, and the receiver would read the churner's bytes.
package main

import "goos"

func main() {
	goos.Lookup("pid").(chan int) <- goos.Pid()
	big := make([]byte, 24<<20)
	for i := range big {
		big[i] = byte(i % 251)
	}
	rows := make([][]byte, 2100)
	for i := range rows {
		rows[i] = make([]byte, 8192)
		for j := range rows[i] {
			rows[i][j] = byte(i + j)
		}
	}
	goos.Lookup("big").(chan []byte) <- big
	goos.Lookup("rows").(chan [][]byte) <- rows
	println("sender: sent", len(big), "bytes and", len(rows), "rows")
}
