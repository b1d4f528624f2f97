"""The API of incident reports: serializers (GeoJSON through ``civic.core.geojson``), views, urls."""
