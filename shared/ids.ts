import { randomBytes } from 'node:crypto'

/** 128 random bits, URL- and Firestore-safe. */
export const newId = () => randomBytes(16).toString('base64url')
/** Vault names carry no user or config id: 128 random bits and a fixed tag. */
export const newSecretName = () => `s${randomBytes(16).toString('hex')}`
