#pragma once
// The console's core pieces wired like AppContext does, signed in to a RealServer as one demo user.

#include "app/core/api_client.h"
#include "app/core/directory.h"
#include "app/core/secret_store.h"
#include "app/core/session.h"
#include "app/core/sync_client.h"
#include "tests/app/real_server.h"

#include <QNetworkAccessManager>
#include <QTest>
#include <memory>

namespace atende::test {

struct ClientHarness {
    QNetworkAccessManager network;
    atende::app::core::ApiClient api{&network};
    std::unique_ptr<atende::app::core::SecretStore> secrets;
    std::unique_ptr<atende::app::core::Session> session;
    atende::app::core::Directory directory{&api};
    atende::app::core::SyncClient sync{{200, 2000}};

    explicit ClientHarness(bool withKeychain = false)
    {
        if (withKeychain)
            secrets = std::make_unique<atende::app::core::KeychainSecretStore>(QStringLiteral("atende-test"));
        session = std::make_unique<atende::app::core::Session>(&api, secrets.get());
        QObject::connect(session.get(), &atende::app::core::Session::accessTokenChanged, &sync,
                         [this](const QString &token) { sync.setAccessToken(token); });
    }

    // Signs in and loads the directory; false when it did not work within 15 s.
    bool signIn(RealServer &server, const QString &role, bool remember = false)
    {
        const DemoUser u = server.user(role);
        session->signIn(server.url(), u.email, u.password, remember);
        if (!QTest::qWaitFor([&] { return session->state() == atende::app::core::Session::State::SignedIn; }, 15000))
            return false;
        directory.setMyUserId(session->user().id);
        directory.reload();
        return QTest::qWaitFor([&] { return !directory.sectors().isEmpty() && !directory.users().isEmpty(); }, 15000);
    }

    void startSync(RealServer &server)
    {
        sync.setServerUrl(server.url());
        sync.setAccessToken(session->accessToken());
        sync.start();
    }
};

} // namespace atende::test
