"""GiantDesk: prepare MIIT 专精特新“小巨人” declarations offline."""

__version__ = "0.1.0"
APP_NAME = "GiantDesk"
