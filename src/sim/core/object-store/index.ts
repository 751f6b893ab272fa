/** The simulator's object store (the user's B2/R2 bucket): the store and its S3 face. */
export { ObjectStore, type ObjectStoreOptions, type StoredObject } from './object-store';
export { startS3Face, type S3Face } from './s3-server';
