#pragma once
// ApiClient: asynchronous REST calls of the Atende API (/api/v1, canonical protobuf JSON), on the caller's
// thread through QNetworkAccessManager; nothing blocks.
//
// A call takes an ApiOperation (method + path template), a request message and a callback that receives an
// ApiResult<Response>. Failures carry the server's stable error code ("conflict", "not_found", ...) with
// details (e.g. details.reason), or "network" / "timeout" / "bad_response" for failures on our side, so the
// UI switches on codes, never on text.
//
// Tokens: every call carries the current access token. A 401 on a call that sent one goes to the refresher
// (Session), at most one refresh at a time; the waiting calls are sent again once with the new token, or
// fail with "unauthenticated" when the refresh fails.

#include "app/core/api_operations.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <google/protobuf/message.h>

class QNetworkAccessManager;
class QNetworkReply;

namespace atende::app::core {

struct ApiError {
    int httpStatus = 0; // 0: no HTTP answer
    QString code;       // server code, or "network", "timeout", "bad_response"
    QString message;    // for logs and as a last resort for people
    QJsonObject details;

    QString reason() const { return details.value(QStringLiteral("reason")).toString(); }
    bool isNetwork() const { return httpStatus == 0; }
};

template <class T> struct ApiResult {
    std::optional<ApiError> error;
    T value;
    bool ok() const { return !error.has_value(); }
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    using RawCallback = std::function<void(const ApiError *error, const QByteArray &body)>;
    // Called with done: refresh the token (setAccessToken), then done(true); done(false) when it cannot.
    using Refresher = std::function<void(std::function<void(bool)> done)>;

    explicit ApiClient(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    QUrl baseUrl() const { return m_baseUrl; }
    void setAccessToken(const QString &token) { m_accessToken = token; }
    QString accessToken() const { return m_accessToken; }
    void setRefresher(Refresher refresher) { m_refresher = std::move(refresher); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // The callback runs on this thread, only while `context` lives (nullptr: no guard).
    template <class Response, class Callback>
    void call(const ApiOperation &op, const google::protobuf::Message &request, QObject *context, Callback onDone)
    {
        callRaw(op, request, context, [onDone = std::move(onDone)](const ApiError *error, const QByteArray &body) {
            ApiResult<Response> result;
            if (error)
                result.error = *error;
            else if (QString problem; !fromJson(body, &result.value, &problem))
                result.error = ApiError{200, QStringLiteral("bad_response"), problem, {}};
            onDone(result);
        });
    }
    void callRaw(const ApiOperation &op, const google::protobuf::Message &request, QObject *context,
                 RawCallback onDone);

    // The path with "{field}" filled in; for GET/DELETE the other set scalar fields go into *query.
    static QString requestPath(const ApiOperation &op, const google::protobuf::Message &request, QUrlQuery *query);
    static QByteArray toJson(const google::protobuf::Message &message);
    static bool fromJson(const QByteArray &json, google::protobuf::Message *message, QString *problem);
    static ApiError errorFromBody(int status, const QByteArray &body);

    int inFlight() const { return int(m_inFlight.size()); }

Q_SIGNALS:
    // A refresh failed: the session is over (Session returns to sign-in).
    void sessionRejected();
    // Any call failed for lack of a network answer / got one again (the unreachable banner).
    void reachabilityChanged(bool reachable);

private:
    struct Pending;
    void send(const std::shared_ptr<Pending> &pending);
    void finished(const std::shared_ptr<Pending> &pending, QNetworkReply *reply);
    void startRefresh();
    void setReachable(bool reachable);

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_baseUrl;
    QString m_accessToken;
    Refresher m_refresher;
    int m_timeoutMs = 20'000;
    bool m_refreshing = false;
    bool m_reachable = true;
    std::vector<std::shared_ptr<Pending>> m_waitingForToken;
    std::vector<QPointer<QNetworkReply>> m_inFlight;
};

} // namespace atende::app::core
