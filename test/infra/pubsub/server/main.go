// The Pub/Sub server of the gcppubsub integration test: pstest, the in-memory gRPC fake of the
// Pub/Sub API that Google ships with its Go client (cloud.google.com/go/pubsub/v2/pstest), on
// 127.0.0.1:<port>, plain gRPC (what PUBSUB_EMULATOR_HOST clients speak). Topics and subscriptions
// are created by the tests through the API. Stops on SIGTERM/SIGINT.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	port := flag.Int("port", 0, "port to listen on, on 127.0.0.1 (0: any free port)")
	flag.Parse()
	srv := pstest.NewServerWithAddress(fmt.Sprintf("127.0.0.1:%d", *port))
	fmt.Printf("pstest listening on %s\n", srv.Addr)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	_ = srv.Close()
}
