-- AlterTable
ALTER TABLE "mail_messages" ADD COLUMN     "text" TEXT;
