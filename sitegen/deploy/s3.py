"""Publishing to S3-compatible object storage (Aliyun OSS, Tencent COS,
Huawei OBS, AWS S3, MinIO) through boto3, the storage client that AWS
keeps and the Chinese vendors document for their S3 interfaces.

The keys come from where boto3 looks for them: ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY`` in the environment, or ``~/.aws/credentials``
(the profile named in site.yaml, or the default). None is ever read from
the site folder, written anywhere, or printed.

One listing of the bucket (ListObjectsV2: each object's size and ETag)
and the manifest decide what to upload (see :mod:`sitegen.deploy.plan`);
uploads run a few at a time, in the plan's order, each rank finished
before the next begins; then the deletions; then the manifest.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sitegen.core.config import S3Target
from sitegen.deploy.plan import (
    MANIFEST,
    DeployError,
    Entry,
    Listed,
    LocalFile,
    Outcome,
    Plan,
    entry_of,
    make_plan,
    manifest_bytes,
    outcome,
    read_manifest,
    upload_rank,
)

UPLOADS_AT_ONCE = 8
Report = Callable[[str, str], None]  # (what is done: "upload" or "delete", path)


def _client(target: S3Target) -> tuple[Any, tuple[str, ...]]:
    """A boto3 S3 client for ``target``, and the secrets it signs with
    (to be kept out of every message)."""
    import boto3  # here, not at the top: `sitegen build` does not wait for it
    from botocore.config import Config
    from botocore.exceptions import ProfileNotFound

    try:
        session = boto3.session.Session(profile_name=target.profile or None)
    except ProfileNotFound as exc:
        raise DeployError(
            "deploy-credentials",
            f"the credentials profile '{target.profile}' was not found",
            "add it to ~/.aws/credentials, or remove 'profile' from site.yaml and set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ) from exc
    credentials = session.get_credentials()
    if credentials is None:
        raise DeployError(
            "deploy-credentials",
            "no keys for the object storage were found",
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (in CI, from "
            "the service's secrets), or write them in ~/.aws/credentials: never in the site folder",
        )
    frozen = credentials.get_frozen_credentials()
    secrets = tuple(s for s in (frozen.access_key, frozen.secret_key, frozen.token) if s)
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": target.addressing_style},
        # boto3 1.36 and later add checksums that OSS, COS and OBS refuse
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"mode": "standard"},  # 3 attempts, or AWS_MAX_ATTEMPTS
        connect_timeout=15,
        read_timeout=60,
        max_pool_connections=UPLOADS_AT_ONCE * 2,
    )
    client = session.client(
        "s3", endpoint_url=target.endpoint, region_name=target.region or None, config=config
    )
    client.meta.events.register("before-sign.s3.DeleteObjects", _content_md5)
    return client, secrets


def _content_md5(request: Any, **_: Any) -> None:
    """A deletion of many objects with the Content-MD5 header that OSS,
    COS, MinIO and others require of it: boto3 1.36 and later send a CRC32
    checksum instead, which they refuse (MissingContentMD5)."""
    body = request.body or b""
    data = body.encode() if isinstance(body, str) else bytes(body)
    request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _failure(exc: Exception, target: S3Target, secrets: tuple[str, ...]) -> DeployError:
    """One clear message for what the storage or the network said."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionError,
        EndpointConnectionError,
        NoCredentialsError,
    )

    where = f"{target.endpoint}, bucket {target.bucket}"
    if isinstance(exc, NoCredentialsError):
        return DeployError("deploy-credentials", "no keys for the object storage were found")
    if isinstance(exc, (EndpointConnectionError, ConnectionError)):
        return DeployError(
            "deploy-unreachable",
            f"cannot reach {target.endpoint}",
            "check the address in site.yaml and the network (a proxy or firewall?)",
        )
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        said = scrub(str(exc.response.get("Error", {}).get("Message", "") or code), secrets)
        if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"):
            return DeployError(
                "deploy-denied",
                f"the storage refused the keys ({where}): {said}",
                "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may list, "
                "read, write and delete in the bucket",
            )
        if code in ("NoSuchBucket", "404"):
            return DeployError(
                "deploy-no-bucket",
                f"there is no bucket '{target.bucket}' at {target.endpoint}",
                "create it in the storage's console, or correct 'bucket' and 'endpoint' in "
                "site.yaml",
            )
        return DeployError("deploy-failed", f"the storage said: {said} ({where})")
    if isinstance(exc, BotoCoreError):
        return DeployError("deploy-failed", scrub(f"the storage said: {exc} ({where})", secrets))
    raise exc


def deploy(target: S3Target, files: list[LocalFile], dry_run: bool, report: Report) -> Outcome:
    """Make the bucket's prefix hold ``files``; the plan that was (or,
    with ``dry_run``, would be) carried out."""
    client, secrets = _client(target)
    try:
        return outcome(_deploy(client, target, files, dry_run, report))
    except DeployError:
        raise
    except Exception as exc:
        raise _failure(exc, target, secrets) from None


def _deploy(
    client: Any, target: S3Target, files: list[LocalFile], dry_run: bool, report: Report
) -> Plan:
    prefix, bucket = target.prefix, target.bucket
    listing: dict[str, Listed] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            listing[item["Key"][len(prefix) :]] = Listed(item["Size"], item["ETag"].strip('"'))
    manifest = read_manifest(
        _get(client, bucket, prefix + MANIFEST) if MANIFEST in listing else None
    )
    plan = make_plan(files, manifest, listing)
    if dry_run:
        for file in plan.uploads:
            report("upload", file.path)
        for path in plan.deletes:
            report("delete", path)
        return plan

    entries: dict[str, Entry] = {f.path: entry_of(f, listing[f.path].etag) for f in plan.unchanged}

    def upload(file: LocalFile) -> tuple[LocalFile, str]:
        data = file.source.read_bytes()
        answer = client.put_object(
            Bucket=bucket,
            Key=prefix + file.path,
            Body=data,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
            ContentMD5=base64.b64encode(hashlib.md5(data).digest()).decode("ascii"),
        )
        return file, str(answer.get("ETag", "")).strip('"')

    with ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
        for rank in (0, 1, 2):  # each rank in place before the next starts
            batch = [f for f in plan.uploads if upload_rank(f.path) == rank]
            for file, etag in pool.map(upload, batch):
                entries[file.path] = entry_of(file, etag)
                report("upload", file.path)
    for start in range(0, len(plan.deletes), 1000):  # after every new file is in place
        chunk = plan.deletes[start : start + 1000]
        answer = client.delete_objects(
            Bucket=bucket,
            Delete={"Objects": [{"Key": prefix + p} for p in chunk], "Quiet": True},
        )
        errors = answer.get("Errors") or []
        if errors:
            first = errors[0]
            raise DeployError(
                "deploy-failed",
                f"the storage did not delete {first.get('Key', '')}: {first.get('Message', '')}",
            )
        for path in chunk:
            report("delete", path)
    client.put_object(
        Bucket=bucket,
        Key=prefix + MANIFEST,
        Body=manifest_bytes(entries),
        ContentType="application/json; charset=utf-8",
        CacheControl="no-cache",
    )
    if target.website:
        client.put_bucket_website(
            Bucket=bucket,
            WebsiteConfiguration={
                "IndexDocument": {"Suffix": "index.html"},
                "ErrorDocument": {"Key": prefix + "404.html"},
            },
        )
    return plan


def _get(client: Any, bucket: str, key: str) -> bytes | None:
    from botocore.exceptions import ClientError

    try:
        return bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
