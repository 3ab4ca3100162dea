"""The map server's routes, a router per resource (included by :func:`api.main.create_app`).

``index`` (the list of maps), ``health``, ``quarantine`` (the page of records left out),
``maps`` (a map page, its map, its layers and downloads), ``assets`` (the maps' scripts and
styles, served locally) and ``ogc`` (OGC API - Features over the layers and results); the
data API's router is :func:`api.data_api.api_router`.
"""
