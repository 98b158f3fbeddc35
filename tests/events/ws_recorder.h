#pragma once
// A WebSocket client for the event tests: speaks the JSON text frames of /api/v1/ws and records replies and
// events in the order they arrived, so a test can check the exact sequence a client saw (backlog pages of
// sync.resume and live events interleaved).

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QWebSocket>

#include <functional>

namespace atende::test {

class WsRecorder {
public:
    struct Frame {
        bool event = false; // an "event" frame; otherwise a reply
        QJsonObject body;   // the event, or the whole reply
    };

    bool open(quint16 port);
    // Sends {"id","op","body"[,"access_token"]} and returns the id without waiting.
    QString send(const QString &op, const QJsonObject &body = {}, const QString &accessToken = {});
    // Waits up to ms for the reply with that id (empty object on timeout).
    QJsonObject reply(const QString &id, int ms = 10000);
    QJsonObject call(const QString &op, const QJsonObject &body = {}, const QString &accessToken = {})
    {
        return reply(send(op, body, accessToken));
    }
    // Sends only a token; returns the "session" frame (or the error reply).
    QJsonObject authenticate(const QString &accessToken);

    const QList<Frame> &frames() const { return m_frames; }
    QList<QJsonObject> events() const;
    // Events whose notice kind is `kind`.
    QList<QJsonObject> notices(const QString &kind) const;
    // Every seq the client received, in arrival order: live events and the events inside sync.resume
    // replies (in the order of the reply).
    QList<quint64> seqStream() const;
    bool waitUntil(const std::function<bool()> &condition, int ms = 10000);

    QWebSocket socket;

private:
    quint64 m_next = 1;
    QList<Frame> m_frames;
};

quint64 seqOf(const QJsonObject &event);

} // namespace atende::test
