#include "server/whatsapp/client_payload.h"

#include "server/whatsapp/proto/wa_client_payload.pb.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace atende::server::whatsapp {

namespace {

std::string stringOf(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

QByteArray bigEndian(quint32 value, int width)
{
    QByteArray out(width, '\0');
    for (int i = width - 1; i >= 0; --i, value >>= 8)
        out[i] = char(value & 0xFF);
    return out;
}

// The fields both payloads share (§3.1, §3.2): WhatsApp Web's user agent as whatsmeow sends it.
proto::ClientPayload basePayload(const Credentials &credentials, const SessionConfig &config)
{
    proto::ClientPayload payload;
    auto *agent = payload.mutable_user_agent();
    agent->set_platform(proto::UserAgent::WEB);
    auto *version = agent->mutable_app_version();
    version->set_primary(config.versionPrimary);
    version->set_secondary(config.versionSecondary);
    version->set_tertiary(config.versionTertiary);
    agent->set_mcc("000");
    agent->set_mnc("000");
    agent->set_os_version("0.1");
    agent->set_manufacturer("");
    agent->set_device("Desktop");
    agent->set_os_build_number("0.1");
    agent->set_release_channel(proto::UserAgent::RELEASE);
    agent->set_locale_language_iso_639_1("en");
    agent->set_locale_country_iso_3166_1_alpha_2("US");
    payload.mutable_web_info()->set_web_sub_platform(proto::WebInfo::WEB_BROWSER);
    payload.set_connect_type(proto::ClientPayload::WIFI_UNKNOWN);
    payload.set_connect_reason(proto::ClientPayload::USER_ACTIVATED);
    if (!credentials.pushName.isEmpty())
        payload.set_push_name(credentials.pushName.toStdString());
    return payload;
}

} // namespace

QByteArray clientBuildHash(const SessionConfig &config)
{
    const QString version =
        QStringLiteral("%1.%2.%3").arg(config.versionPrimary).arg(config.versionSecondary).arg(config.versionTertiary);
    return QCryptographicHash::hash(version.toLatin1(), QCryptographicHash::Md5);
}

QByteArray registrationPayload(const Credentials &credentials, const SessionConfig &config)
{
    proto::ClientPayload payload = basePayload(credentials, config);
    payload.set_passive(false);
    payload.set_pull(false);

    proto::DeviceProps props;
    props.set_os(config.deviceName.toStdString());
    // whatsmeow's companion version; the phone only displays os and platform type.
    auto *version = props.mutable_version();
    version->set_primary(0);
    version->set_secondary(1);
    version->set_tertiary(0);
    props.set_platform_type(proto::DeviceProps::DESKTOP);
    props.set_require_full_sync(false);

    auto *pairing = payload.mutable_device_pairing_data();
    pairing->set_e_regid(stringOf(bigEndian(credentials.registrationId, 4)));
    pairing->set_e_keytype(std::string(1, '\x05'));
    pairing->set_e_ident(stringOf(credentials.identityKey.publicKey));
    pairing->set_e_skey_id(stringOf(bigEndian(credentials.signedPreKey.id, 3)));
    pairing->set_e_skey_val(stringOf(credentials.signedPreKey.keyPair.publicKey));
    pairing->set_e_skey_sig(stringOf(credentials.signedPreKey.signature));
    pairing->set_build_hash(stringOf(clientBuildHash(config)));
    pairing->set_device_props(props.SerializeAsString());
    return bytesOf(payload.SerializeAsString());
}

QByteArray loginPayload(const Credentials &credentials, const SessionConfig &config)
{
    proto::ClientPayload payload = basePayload(credentials, config);
    Q_ASSERT(credentials.jid.has_value());
    payload.set_username(credentials.jid->user.toULongLong());
    payload.set_device(credentials.jid->device);
    payload.set_passive(true);
    payload.set_pull(true);
    payload.set_lc(1);
    payload.set_lid_db_migrated(true);
    return bytesOf(payload.SerializeAsString());
}

} // namespace atende::server::whatsapp
