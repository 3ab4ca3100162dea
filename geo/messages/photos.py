"""Messages of the photos taken with a record (issue 19)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "photo_too_large": {
        "zh": "照片超过 {mb:g} MB;请用手机相机的标准画质重新拍摄",
        "en": "the photo is larger than {mb:g} MB; take it again at the camera's standard quality",
    },
    "photo_type": {
        "zh": "文件不是 JPEG、PNG 或 WebP 照片(内容为 {found});请上传手机拍摄的照片",
        "en": "the file is not a JPEG, PNG or WebP photo (its content is {found}); upload a photo from the phone",
    },
    "photo_pixels": {
        "zh": "照片像素超过 {limit} 像素;请缩小后再上传",
        "en": "the photo has more than {limit} pixels; make it smaller first",
    },
    "photo_broken": {
        "zh": "照片文件已损坏或不完整;请重新拍摄后上传",
        "en": "the photo file is damaged or incomplete; take it again",
    },
    "photo_too_many": {
        "zh": "一条记录最多保存 {limit} 张照片",
        "en": "a record keeps at most {limit} photos",
    },
    "photo_no_record": {
        "zh": "没有编号为 {record} 的记录,或您无权查看它",
        "en": "no record {record}, or you may not see it",
    },
    "photo_not_author": {
        "zh": "只有记录的填报人或管理员可以为记录添加照片",
        "en": "only the record's author or an admin may add photos to it",
    },
    "photo_unknown": {
        "zh": "该记录没有名为 {name} 的照片",
        "en": "the record has no photo {name}",
    },
}
