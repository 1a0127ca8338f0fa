"""Real time: the Socket.IO namespace and the notifier that drains the event outbox into it."""
