#pragma once
// A round coloured dot with a soft halo: the connection state at a glance.

#include <QColor>
#include <QWidget>

namespace atende::app::ui {

class StatusDot : public QWidget {
    Q_OBJECT
public:
    explicit StatusDot(int diameter, QWidget *parent = nullptr);

    void setColor(const QColor &color);
    QColor color() const { return m_color; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_diameter;
    QColor m_color = Qt::gray;
};

} // namespace atende::app::ui
