// atende-wasim: the simulated WhatsApp network as a process, for the README demo, benchmarks and the
// Baileys conformance test. Prints one machine-readable ready line on stdout once both ports listen:
//   wasim ready ws=ws://127.0.0.1:P/ws/chat admin=http://127.0.0.1:Q trust_root=<hex> trust_root_serial=0
#include "tests/wasim/simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("atende-wasim"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Simulated WhatsApp network for tests (PROTOCOL.md §12)"));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("WebSocket port (0 = any)"),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption adminPort(QStringLiteral("admin-port"), QStringLiteral("admin HTTP port (0 = any)"),
                                       QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("fixes the CA, server and phone keys (reproducible runs)"),
                                  QStringLiteral("text"));
    const QCommandLineOption refs(QStringLiteral("pair-refs"), QStringLiteral("refs per pair-device iq"),
                                  QStringLiteral("n"), QStringLiteral("6"));
    const QCommandLineOption autoScan(QStringLiteral("auto-scan-ms"),
                                      QStringLiteral("scan QR texts posted to /admin/qr after this many ms"),
                                      QStringLiteral("ms"), QStringLiteral("-1"));
    const QCommandLineOption user(QStringLiteral("user"),
                                  QStringLiteral("create a simulated user: phone[,push name] (repeatable)"),
                                  QStringLiteral("spec"));
    const QCommandLineOption stateDir(QStringLiteral("state-dir"),
                                      QStringLiteral("keep users, devices and keys here across restarts "
                                                     "(default: in memory only)"),
                                      QStringLiteral("dir"));
    const QCommandLineOption customers(QStringLiteral("customers"),
                                       QStringLiteral("start N simulated customers 5551999000001.. (in memory; "
                                                      "scripted through /admin/customers)"),
                                       QStringLiteral("n"), QStringLiteral("0"));
    parser.addOptions({port, adminPort, seed, refs, autoScan, user, stateDir, customers});
    parser.process(app);

    bool okPort = false, okAdmin = false, okRefs = false, okScan = false, okCustomers = false;
    const int customerCount = parser.value(customers).toInt(&okCustomers);
    const uint wsPort = parser.value(port).toUInt(&okPort);
    const uint admin = parser.value(adminPort).toUInt(&okAdmin);
    atende::wasim::SimulatorOptions options;
    options.seed = parser.value(seed).toUtf8();
    options.stateDir = parser.value(stateDir);
    options.pairRefs = parser.value(refs).toInt(&okRefs);
    options.autoScanMs = parser.value(autoScan).toInt(&okScan);
    if (!okPort || !okAdmin || wsPort > 65535 || admin > 65535 || !okRefs || options.pairRefs < 1 || !okScan ||
        !okCustomers || customerCount < 0 || customerCount > 10000) {
        std::fprintf(stderr, "atende-wasim: bad option value (see --help)\n");
        return 2;
    }
    atende::wasim::Simulator simulator(options);
    for (const QString &spec : parser.values(user)) {
        const QStringList parts = spec.split(u',');
        auto created = simulator.createUser({parts.value(0), parts.value(1), parts.value(2)});
        if (!created) {
            std::fprintf(stderr, "atende-wasim: --user %s: %s\n", qPrintable(spec),
                         qPrintable(created.error().message));
            return 2;
        }
    }
    if (auto s = simulator.start(quint16(wsPort), int(admin)); !s) {
        std::fprintf(stderr, "atende-wasim: %s\n", qPrintable(s.error().message));
        return 1;
    }
    for (int i = 1; i <= customerCount; ++i) {
        // Linked in the background; GET /admin/customers shows when each is connected.
        const QString phone = QString::number(5551999000000LL + i);
        auto created = simulator.createCustomer(phone, QStringLiteral("Customer %1").arg(i));
        if (!created) {
            std::fprintf(stderr, "atende-wasim: customer %s: %s\n", qPrintable(phone),
                         qPrintable(created.error().message));
            return 1;
        }
    }
    std::printf("wasim ready ws=%s admin=%s trust_root=%s trust_root_serial=%u\n",
                qPrintable(simulator.wsUrl().toString()), qPrintable(simulator.adminUrl().toString()),
                simulator.trustRootPublicKey().toHex().constData(), atende::wasim::Simulator::trustRootSerial());
    std::fflush(stdout);
    return app.exec();
}
