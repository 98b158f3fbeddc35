#include "app/console/notification_sound.h"

#include <QSoundEffect>
#include <QUrl>

namespace atende::app::console {

NotificationSound::NotificationSound(QObject *parent)
    : QObject(parent)
{}

void NotificationSound::play()
{
    ++m_requests;
    Q_EMIT requested();
    if (!m_effect) {
        m_effect = new QSoundEffect(this);
        m_effect->setSource(QUrl(QStringLiteral("qrc") + resourcePath()));
        m_effect->setVolume(0.8f);
    }
    // Without an audio device the effect stays silent; the notification itself still shows.
    m_effect->play();
}

} // namespace atende::app::console
