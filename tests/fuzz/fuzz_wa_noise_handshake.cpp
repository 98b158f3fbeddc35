// libFuzzer: the Noise XX handshake messages a WhatsApp client and server read from the network
// (PROTOCOL.md §2.2-§2.6). The first byte picks what the rest of the input is:
//   0  a ClientHello as the responder (atende-wasim) reads it;
//   1  a ServerHello as the initiator (atende-server) reads it — rejected by AES-GCM unless well formed;
//   2  the certificate chain inside a ServerHello that a genuine responder encrypted, so the initiator
//      decrypts it and the chain parser and verifier see the fuzzer's bytes;
//   3  a ClientFinish as the responder reads it after a genuine hello exchange;
//   4  a transport frame, decrypted after a genuine one under the same key.
// Keys are fixed so that every run is reproducible; signatures cannot be forged here, so mode 2 ends in
// a rejected chain — what is exercised is that parsing hostile bytes fails cleanly.
#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/noise_handshake.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace {

using atende::server::whatsapp::CertChainVerifier;
using atende::server::whatsapp::NoiseHandshake;
namespace crypto = atende::server::whatsapp::crypto;

// Derived once: deriving five public keys per input would dominate the run time.
const crypto::KeyPair &fixedKey(char fill)
{
    static const std::array<crypto::KeyPair, 6> keys = [] {
        std::array<crypto::KeyPair, 6> k;
        for (int i = 0; i < 6; ++i)
            k[size_t(i)] = crypto::x25519KeyPair(QByteArray(32, char(0x11 * (i + 1)))).value();
        return k;
    }();
    return keys[size_t(fill / 0x11 - 1)];
}

const QByteArray &prologue()
{
    static const QByteArray intro("WA\x06\x03", 4);
    return intro;
}

struct Pair {
    NoiseHandshake client{NoiseHandshake::Role::Initiator, fixedKey(0x11), fixedKey(0x22), prologue()};
    NoiseHandshake server{NoiseHandshake::Role::Responder, fixedKey(0x33), fixedKey(0x44), prologue()};
    CertChainVerifier verifier{fixedKey(0x55).publicKey, 0, [] {
                                   return qint64(1700000000);
                               }};
};

// Runs the genuine exchange up to the point where `stopBefore` would be read.
bool helloExchange(Pair &p, QByteArrayView certChain, QByteArray *serverHello)
{
    auto hello = p.client.writeClientHello();
    if (!hello.ok() || !p.server.readClientHello(hello.value()).ok())
        return false;
    auto reply = p.server.writeServerHello(certChain);
    if (!reply.ok())
        return false;
    *serverHello = reply.value();
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    Pair p;
    QByteArray serverHello;
    switch (data[0] % 5) {
    case 0: (void)p.server.readClientHello(input); break;
    case 1:
        if (p.client.writeClientHello().ok())
            (void)p.client.readServerHello(input, p.verifier);
        break;
    case 2:
        if (helloExchange(p, input, &serverHello))
            (void)p.client.readServerHello(serverHello, p.verifier);
        break;
    case 3:
        if (helloExchange(p, QByteArrayView("chain"), &serverHello))
            (void)p.server.readClientFinish(input);
        break;
    case 4: {
        // A frame with a genuine first half (a valid frame under a fixed key) and the fuzzer's bytes after
        // it: the first decrypts, the hostile one must fail without touching the counter.
        atende::server::whatsapp::CipherState sender(QByteArray(32, 0x66));
        atende::server::whatsapp::CipherState receiver(QByteArray(32, 0x66));
        auto genuine = sender.encrypt(QByteArrayView("hello"));
        if (genuine.ok() && receiver.decrypt(genuine.value()).ok())
            (void)receiver.decrypt(input);
        break;
    }
    }
    return 0;
}
