// The floor under the Socket.IO half of connecting (capacity scenario): socket.io 4.8, the version and
// transport settings Yishi runs (path /socket.io, WebSocket, connection-state recovery for 2 minutes),
// with nothing of Yishi's: no sign-in, no rights, no live state. `session:join` joins the room and
// acknowledges at once. What a Yishi session:join costs above this is Yishi's own work.
import { createServer } from "node:http";
import { Server } from "socket.io";

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
const io = new Server(server, {
  path: "/socket.io",
  serveClient: false,
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
});
io.on("connection", (socket) => {
  socket.on("session:join", async (payload, ack) => {
    await socket.join(`session:${payload?.sessionId}`);
    if (typeof ack === "function") ack({ ok: true });
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
