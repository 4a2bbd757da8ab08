// Preloaded into Ganache (node --require): exit when the JVM that started us dies. Our stdin is a pipe
// from that JVM; it reaches EOF however the JVM ends, kill -9 included, so no chain outlives its owner.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
