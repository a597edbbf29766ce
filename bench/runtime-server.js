// The server the runtime benchmark calls: a separate process, keep-alive, a fixed small
// JSON answer shaped like Amity's join response. Prints its URL, exits when stdin closes.
import { createServer } from "node:http";

const body = JSON.stringify({
    joinRequests: [{ _id: "r1", status: "approved", type: "communityJoinRequest" }],
    users: [],
    files: [],
    roles: [],
});
const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
